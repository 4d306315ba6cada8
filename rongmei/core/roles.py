"""The roles of a media center and what each may do.

A role is a Django group. This module is the single source of the
permission matrix: data migrations call :func:`sync_roles` to make the
groups match it, ``docs/permissions.md`` describes it, and the tests check
the server enforces it. A later app that adds permissions lists them here
and adds a migration that calls :func:`sync_roles` again.
"""

from django.contrib.auth.management import create_permissions

REPORTER = "记者"
EDITOR = "编辑"
REVIEW_1 = "初审"
REVIEW_2 = "复审"
REVIEW_3 = "终审"
DIRECTOR = "主任"
OPERATOR = "运营"
FINANCE = "财务"
ADMINISTRATOR = "管理员"

ROLE_NAMES = [REPORTER, EDITOR, REVIEW_1, REVIEW_2, REVIEW_3, DIRECTOR, OPERATOR, FINANCE, ADMINISTRATOR]

# Reading the proofreading lexicon (禁用词, 规范表述, …); maintaining it is for
# the last review level and the administrator.
_READ_LEXICON = ["proofreading.view_lexiconentry"]
_KEEP_LEXICON = [
    "proofreading.add_lexiconentry",
    "proofreading.change_lexiconentry",
    "proofreading.delete_lexiconentry",
    "proofreading.view_lexiconentry",
]

# Every role signs in to the admin and manages its own API tokens.
_EVERYONE = [
    "wagtailadmin.access_admin",
    "wagtailcore.add_apitoken",
    "wagtailcore.change_apitoken",
    "wagtailcore.delete_apitoken",
    "wagtailcore.view_apitoken",
    "distribution.view_channel",
]

# Writing stories. Nobody holds stories.publish_story: only the three-level
# review approves (publishes) a story (see stories/permissions.py).
_WRITE_STORIES = [
    "stories.add_story",
    "stories.change_story",
    "stories.view_story",
    "stories.lock_story",
    "stories.unlock_story",
]
# A review level reads and may correct the stories it reviews, and may
# accept a blocking proofreading hit with a written reason.
_REVIEW_STORIES = [
    "stories.change_story",
    "stories.view_story",
    "stories.lock_story",
    "stories.unlock_story",
    "stories.override_proofreading",
]

# The media archive: whoever captures or writes ingests and catalogues;
# everyone who works with stories finds and reuses.
_READ_ARCHIVE = ["archive.view_asset", "archive.view_event", "archive.view_person"]
# 运营: the channel accounts (credentials, test connection) and the publish queue's board.
# 网站访问量 and the daily inspection of the government website.
_WATCH_WEBSITE = ["analytics.view_pageview", "analytics.view_inspectionrun"]
_OPERATE_CHANNELS = [
    "distribution.view_channel",
    "distribution.change_channel",
    "distribution.view_delivery",
    "distribution.operate_delivery",
]
# 政民互动: reading the public messages and answering them (answering is
# ``change``: see rongmei.interaction.actions.answer); nobody adds or deletes one.
_ANSWER_MESSAGES = [
    "interaction.view_message",
    "interaction.change_message",
    "interaction.view_messagecategory",
]
# 多平台互动 (the inbox): reading it; handling items (classify, assign,
# reply: ``change``; manual entry and the hotline import: ``add``);
# approving the replies a grade holds for review; clues for planning.
_READ_INBOX = ["interaction.view_item", "interaction.view_clue"]
_HANDLE_INBOX = [
    *_READ_INBOX,
    "interaction.add_item",
    "interaction.change_item",
    "interaction.add_clue",
    "interaction.view_replytemplate",
    "interaction.add_replytemplate",
    "interaction.change_replytemplate",
]
_REVIEW_INBOX = [*_READ_INBOX, "interaction.review_reply", "interaction.add_clue"]
_SET_UP_INBOX = [
    "interaction.view_inboxcategory",
    "interaction.add_inboxcategory",
    "interaction.change_inboxcategory",
    "interaction.view_department",
    "interaction.add_department",
    "interaction.change_department",
    "interaction.view_graderule",
    "interaction.add_graderule",
    "interaction.change_graderule",
    "interaction.delete_graderule",
    "interaction.view_gradepolicy",
    "interaction.change_gradepolicy",
    "interaction.view_sourcestate",
    "interaction.change_sourcestate",
]
_CATALOGUE = [
    *_READ_ARCHIVE,
    "archive.add_asset",
    "archive.change_asset",
    "archive.add_event",
    "archive.change_event",
    "archive.add_person",
    "archive.change_person",
]

# 绩效管理 (rongmei.performance): 财务 keeps the budget, spending, ledger,
# indicators, problems and report texts; 主任 reads them (and the report).
_PERFORMANCE_MODELS = [
    "fiscalyear",
    "budgetline",
    "expenditure",
    "indicatortemplate",
    "indicator",
    "channelstat",
    "placement",
    "award",
    "publication",
    "problem",
    "textblock",
]
_READ_BUDGET = [f"performance.view_{model}" for model in _PERFORMANCE_MODELS]
_KEEP_BUDGET = [
    f"performance.{action}_{model}" for model in _PERFORMANCE_MODELS for action in ("add", "change", "delete", "view")
]

PERMISSIONS: dict[str, list[str]] = {
    REPORTER: [*_EVERYONE, *_WRITE_STORIES, *_READ_LEXICON, *_CATALOGUE],
    EDITOR: [
        *_EVERYONE,
        *_WRITE_STORIES,
        *_READ_LEXICON,
        *_CATALOGUE,
        "stories.add_category",
        "stories.change_category",
        "stories.view_category",
        "interaction.view_clue",  # leads from the inbox for news planning
    ],
    REVIEW_1: [*_EVERYONE, *_REVIEW_STORIES, *_READ_LEXICON, *_READ_ARCHIVE],
    REVIEW_2: [*_EVERYONE, *_REVIEW_STORIES, *_READ_LEXICON, *_READ_ARCHIVE],
    REVIEW_3: [
        *_EVERYONE,
        *_REVIEW_STORIES,
        *_KEEP_LEXICON,
        *_READ_ARCHIVE,
        "archive.view_restricted_asset",
        *_REVIEW_INBOX,
    ],
    DIRECTOR: [
        *_EVERYONE,
        "core.view_auditentry",
        "stories.view_story",
        *_READ_LEXICON,
        *_READ_ARCHIVE,
        "archive.view_restricted_asset",
        "distribution.view_channel",
        "distribution.view_delivery",
        *_WATCH_WEBSITE,
        *_REVIEW_INBOX,
        *_READ_BUDGET,
    ],
    OPERATOR: [
        *_EVERYONE,
        *_OPERATE_CHANNELS,
        "stories.view_story",
        *_READ_ARCHIVE,
        *_ANSWER_MESSAGES,
        *_WATCH_WEBSITE,
        *_HANDLE_INBOX,
    ],
    FINANCE: [*_EVERYONE, *_KEEP_BUDGET],
    ADMINISTRATOR: [
        *_EVERYONE,
        *_KEEP_LEXICON,
        *_WATCH_WEBSITE,
        "stories.view_story",
        "stories.add_category",
        "stories.change_category",
        "stories.delete_category",
        "stories.view_category",
        "core.view_auditentry",
        # Accounts: create, edit and deactivate users, and manage their
        # tokens. Users are deactivated, never deleted, so that the audit log
        # keeps naming them; editing groups stays with superusers so that no
        # administrator can widen their own rights.
        "core.add_user",
        "core.change_user",
        "core.view_user",
        "core.add_organisation",
        "core.change_organisation",
        "core.view_organisation",
        "core.add_department",
        "core.change_department",
        "core.delete_department",
        "core.view_department",
        "distribution.add_channel",
        *_OPERATE_CHANNELS,
        "distribution.delete_channel",
        "distribution.add_webhook",
        "distribution.change_webhook",
        "distribution.delete_webhook",
        "distribution.view_webhook",
        *_CATALOGUE,
        "archive.delete_asset",
        "archive.delete_event",
        "archive.delete_person",
        "archive.view_restricted_asset",
        *_ANSWER_MESSAGES,
        "interaction.add_messagecategory",
        "interaction.change_messagecategory",
        *_HANDLE_INBOX,
        *_SET_UP_INBOX,
        *_READ_BUDGET,
    ],
}

# Wagtail's starter groups; a center uses the roles above instead.
WAGTAIL_DEFAULT_GROUPS = ["Moderators", "Editors"]


def sync_roles(apps, schema_editor=None):
    """Make every role group hold exactly the permissions listed above.

    Usable from a data migration (``RunPython(sync_roles)``). Permissions of
    apps whose migrations have not run yet are skipped; the migration that
    creates them calls this again.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    available = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for name, perms in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([available[perm] for perm in perms if perm in available])

    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()


def matrix_markdown() -> str:
    """The permission matrix as a Markdown table, for docs/permissions.md."""
    permissions = sorted({perm for perms in PERMISSIONS.values() for perm in perms})
    lines = [
        "| permission | " + " | ".join(ROLE_NAMES) + " |",
        "|---|" + "---|" * len(ROLE_NAMES),
    ]
    for perm in permissions:
        marks = ["✓" if perm in PERMISSIONS[role] else "" for role in ROLE_NAMES]
        lines.append(f"| `{perm}` | " + " | ".join(marks) + " |")
    return "\n".join(lines) + "\n"
