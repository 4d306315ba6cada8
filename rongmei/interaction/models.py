"""Public messages (政民互动 / 留言): what citizens write to the center, and
the center's replies.

A message comes from a source (for now only the website's public form;
the later inbox adds others) and gets a tracking number the citizen looks
the reply up with. Nothing about the citizen is kept beyond what they
typed: the client address is never stored, only a salted hash of it in
:class:`RateLimitHit` for a day, to limit floods
(:mod:`rongmei.interaction.ratelimit`)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONTENT_LIMIT = 2000  # characters of a message
REPLY_LIMIT = 10_000  # characters of a reply
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]


class MessageCategory(models.Model):
    """The editable list of message categories (咨询, 建议, 投诉, …)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive categories are no longer offered on the public form.")
    )

    class Meta:
        verbose_name = _("message category")
        verbose_name_plural = _("message categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def label(self, language: str) -> str:
        """The category's name in the public page's language."""
        return (self.name_en or self.name) if language == "en" else self.name


class Message(models.Model):
    """One citizen's message and the center's reply."""

    class Source(models.TextChoices):
        WEBSITE = "website", _("Website form")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    tracking_number = models.CharField(_("tracking number"), max_length=24, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.WEBSITE)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="zh-hans")
    category = models.ForeignKey(
        MessageCategory, on_delete=models.PROTECT, related_name="messages", verbose_name=_("category")
    )
    content = models.TextField(_("content"), validators=[MaxLengthValidator(CONTENT_LIMIT)])
    name = models.CharField(_("citizen's name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    reply = models.TextField(_("reply"), blank=True, validators=[MaxLengthValidator(REPLY_LIMIT)])
    reply_published = models.BooleanField(
        _("publish the reply"),
        default=True,
        help_text=_("The citizen and anyone with the tracking number can read a published reply."),
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
        editable=False,
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="interaction_status_created")]

    def __str__(self):
        return self.tracking_number

    @property
    def excerpt(self) -> str:
        return self.content if len(self.content) <= 60 else self.content[:60] + "…"

    @property
    def public_reply(self) -> str:
        """The reply as the public may read it ("" while none is published)."""
        if self.status == self.Status.ANSWERED and self.reply_published:
            return self.reply
        return ""


class UsedChallenge(models.Model):
    """A human-check token already submitted: each one counts once.
    ``message`` is what it produced: a second click on "submit" then shows
    the same receipt instead of an error."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)
    accepted = models.BooleanField(default=False)  # answered right
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("used human check")
        verbose_name_plural = _("used human checks")

    def __str__(self):
        return self.nonce


class RateLimitHit(models.Model):
    """One counted request of a client (its address as a salted hash), kept a day."""

    scope = models.CharField(max_length=20)
    client = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("rate-limit hit")
        verbose_name_plural = _("rate-limit hits")
        indexes = [models.Index(fields=["scope", "client", "at"], name="interaction_hit_lookup")]

    def __str__(self):
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M:%S}"


# -- the inbox (多平台互动): every comment and message, from every source


ITEM_CONTENT_LIMIT = 20_000  # characters kept of one comment (longer ones are cut, marked ``truncated``)


class Source(models.TextChoices):
    WECHAT = "wechat", _("WeChat comments")
    WEIBO = "weibo", _("Weibo comments")
    DOUYIN = "douyin", _("Douyin comments")
    KUAISHOU = "kuaishou", _("Kuaishou comments")
    WEBSITE = "website", _("Website form")
    HOTLINE = "hotline", _("12345 hotline")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit in person")


# The channel kinds whose comments are pulled, and the inbox source of each.
CHANNEL_SOURCES = {
    "wechat_mp": Source.WECHAT,
    "weibo": Source.WEIBO,
    "douyin": Source.DOUYIN,
    "kuaishou": Source.KUAISHOU,
}
# Sources whose items are answered through the channel's own reply API.
REPLY_THROUGH_CHANNEL = {Source.WECHAT, Source.WEIBO}
MANUAL_SOURCES = {Source.LETTER, Source.PHONE, Source.VISIT}


class Grade(models.TextChoices):
    NORMAL = "normal", _("Normal")
    IMPORTANT = "important", _("Important")
    URGENT = "urgent", _("Urgent")


GRADE_RANK = {Grade.NORMAL: 0, Grade.IMPORTANT: 1, Grade.URGENT: 2}


class Level(models.TextChoices):
    CENTER = "center", _("Answered by the center")
    DEPARTMENT = "department", _("Forwarded to a department")


class InboxCategory(models.Model):
    """A topic of the inbox (养老, 教育, …): editable, with the keywords and
    phrases the lexicon classifier looks for."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("Words and phrases of this topic, separated by spaces or new lines.")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    is_fallback = models.BooleanField(
        _("fallback"), default=False, help_text=_("Given to items no keyword matches (其他).")
    )

    class Meta:
        verbose_name = _("inbox category")
        verbose_name_plural = _("inbox categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def keyword_list(self) -> list[str]:
        return [word for word in self.keywords.replace("，", " ").replace(",", " ").split() if word]


class Department(models.Model):
    """A responsible department items are forwarded to (区民政局, 区教委, …),
    with its own answer deadline. These are the district's offices, not the
    center's own departments (``core.Department``)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    contact = models.CharField(_("contact"), max_length=120, blank=True)
    answer_hours = models.PositiveIntegerField(
        _("answer deadline (hours)"), default=72, help_text=_("How long the department has to resolve an item.")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("responsible department")
        verbose_name_plural = _("responsible departments")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class GradePolicy(models.Model):
    """What a grade means for handling: deadlines, and whether a reply
    must be approved (by 主任 or 终审) before it goes out."""

    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, unique=True)
    first_response_hours = models.PositiveIntegerField(_("first response within (hours)"), default=24)
    resolution_hours = models.PositiveIntegerField(_("resolution within (hours)"), default=120)
    review_required = models.BooleanField(_("reply reviewed before sending"), default=False)

    class Meta:
        verbose_name = _("grade policy")
        verbose_name_plural = _("grade policies")
        ordering = ["grade"]

    def __str__(self):
        return self.get_grade_display()


class GradeRule(models.Model):
    """One rule that raises an item's grade. Kinds:

    - ``keyword``: any of the words appears in the text;
    - ``repeat_author``: the same author wrote at least ``threshold`` items
      within ``window_hours`` (this one included);
    - ``repeat_topic``: at least ``threshold`` items on the same topic
      within ``window_hours``;
    - ``surge``: the topic's count in the last hour is at least ``factor``
      times its hourly average over the ``window_hours`` before, and at
      least ``threshold``."""

    class Kind(models.TextChoices):
        KEYWORD = "keyword", _("Keywords")
        REPEAT_AUTHOR = "repeat_author", _("Repeated by the same author")
        REPEAT_TOPIC = "repeat_topic", _("Repeated on the same topic")
        SURGE = "surge", _("Sudden surge on a topic")

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    grade = models.CharField(
        _("grade"), max_length=10, choices=[c for c in Grade.choices if c[0] != Grade.NORMAL], default=Grade.IMPORTANT
    )
    keywords = models.TextField(_("keywords"), blank=True)
    threshold = models.PositiveIntegerField(_("threshold"), default=3)
    window_hours = models.PositiveIntegerField(_("window (hours)"), default=168)
    factor = models.FloatField(_("surge factor"), default=3.0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("grade rule")
        verbose_name_plural = _("grade rules")
        ordering = ["-grade", "kind", "name"]

    def __str__(self):
        return self.name

    def keyword_list(self) -> list[str]:
        return [word for word in self.keywords.replace("，", " ").replace(",", " ").split() if word]


class Item(models.Model):
    """One thing the public said to the center, on any platform: a
    comment, a website message, a hotline record, a letter or a call."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        REVIEW = "review", _("Reply awaiting review")
        ANSWERED = "answered", _("Answered")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed without reply")

    class CategoryBy(models.TextChoices):
        LEXICON = "lexicon", _("Keyword lexicon")
        MODEL = "model", _("Trained classifier")
        PERSON = "person", _("Corrected by a person")

    OPEN = (Status.NEW, Status.ASSIGNED, Status.REVIEW)
    UNRESOLVED = (Status.NEW, Status.ASSIGNED, Status.REVIEW, Status.ANSWERED)

    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    external_id = models.CharField(_("ID at the source"), max_length=200)
    channel = models.ForeignKey(
        "distribution.Channel", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("channel"),
    )  # fmt: skip
    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="item", verbose_name=_("message")
    )
    url = models.URLField(_("link to the original"), max_length=500, blank=True)
    thread_id = models.CharField(_("post or thread at the source"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    content = models.TextField(_("content"))
    truncated = models.BooleanField(_("cut to the length limit"), default=False)
    posted_at = models.DateTimeField(_("posted at"))
    pulled_at = models.DateTimeField(_("pulled at"), default=timezone.now)

    category = models.ForeignKey(
        InboxCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="items",
        verbose_name=_("category"),
    )  # fmt: skip
    category_by = models.CharField(_("classified by"), max_length=10, choices=CategoryBy.choices, default="lexicon")
    topic = models.CharField(_("topic"), max_length=40, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, default=Grade.NORMAL)
    grade_reasons = models.JSONField(_("why this grade"), default=list, blank=True)
    grade_by_person = models.BooleanField(default=False)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.CENTER)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="items",
        verbose_name=_("department"),
    )  # fmt: skip
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("assigned to"),
    )  # fmt: skip
    flagged = models.BooleanField(_("sensitive or abusive"), default=False)
    flagged_terms = models.JSONField(default=list, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    # The next deadline that applies (first response, then resolution; none
    # once resolved): "overdue" is ``due_at < now``, one indexed column.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering = ["-posted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="interaction_item_once")]
        permissions = [("review_reply", "Can approve replies that need review")]
        indexes = [
            models.Index(fields=["-posted_at", "-id"], name="inbox_posted"),
            models.Index(fields=["status", "-posted_at", "-id"], name="inbox_status_posted"),
            models.Index(fields=["source", "-posted_at", "-id"], name="inbox_source_posted"),
            models.Index(fields=["category", "-posted_at", "-id"], name="inbox_category_posted"),
            models.Index(fields=["grade", "-posted_at", "-id"], name="inbox_grade_posted"),
            # The usual combinations: open items of a grade, a platform's items of a category.
            models.Index(fields=["grade", "status", "-posted_at", "-id"], name="inbox_grade_status_posted"),
            models.Index(fields=["source", "category", "-posted_at", "-id"], name="inbox_source_category_posted"),
            models.Index(fields=["department", "-posted_at", "-id"], name="inbox_department_posted"),
            models.Index(fields=["due_at"], name="inbox_due"),
            models.Index(fields=["topic", "posted_at"], name="inbox_topic_posted"),
            models.Index(fields=["author", "posted_at"], name="inbox_author_posted"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} #{self.pk}"

    @property
    def excerpt(self) -> str:
        return self.content if len(self.content) <= 80 else self.content[:80] + "…"

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()


class ReplyTemplate(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    category = models.ForeignKey(
        InboxCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    text = models.TextField(_("text"), help_text=_("{author} is replaced by the author's name."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def render(self, item: Item) -> str:
        return self.text.replace("{author}", item.author or "")


class Reply(models.Model):
    """A reply to an item, on its way: written, maybe reviewed, then sent
    through the channel (or published on the website). ``sent`` only once
    the channel confirmed it; a refusal is ``failed`` with its reason."""

    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("Awaiting review")
        REJECTED = "rejected", _("Returned by the reviewer")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        RECORDED = "recorded", _("Recorded (answered outside the platform)")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("reply"), validators=[MaxLengthValidator(REPLY_LIMIT)])
    public = models.BooleanField(_("public"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    template = models.ForeignKey(ReplyTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["written_at", "id"]

    def __str__(self):
        return f"{self.item} · {self.get_status_display()}"


class SourceState(models.Model):
    """How pulling one source went: when, and the last error. A source the
    account has no permission for is ``unavailable`` and is not asked
    again until someone re-enables it."""

    class State(models.TextChoices):
        OK = "ok", _("Working")
        ERROR = "error", _("Error (retried at the next pull)")
        UNAVAILABLE = "unavailable", _("Unavailable (no permission)")

    key = models.CharField(max_length=40, unique=True)  # "channel:<id>" or a source
    label = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.OK)
    message = models.TextField(blank=True)
    last_pulled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    pulled_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("inbox source")
        verbose_name_plural = _("inbox sources")

    def __str__(self):
        return self.label or self.key


class ClassifierRun(models.Model):
    """One training of the text classifier on the hand-corrected items,
    with both classifiers' accuracy on the same held-out set; the model
    takes over only when it is better."""

    trained_at = models.DateTimeField(default=timezone.now)
    corrected = models.PositiveIntegerField(default=0)
    train_size = models.PositiveIntegerField(default=0)
    test_size = models.PositiveIntegerField(default=0)
    lexicon_accuracy = models.FloatField(null=True)
    model_accuracy = models.FloatField(null=True)
    in_use = models.BooleanField(default=False)
    model_file = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("classifier training")
        verbose_name_plural = _("classifier trainings")
        ordering = ["-trained_at", "-id"]

    def __str__(self):
        return f"{self.trained_at:%Y-%m-%d %H:%M}"


class Clue(models.Model):
    """A lead for news planning (线索) drawn from one item or a cluster of
    items; kept here until the planning module takes the list over."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TAKEN = "taken", _("Taken up")
        DROPPED = "dropped", _("Dropped")

    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    items = models.ManyToManyField(Item, related_name="clues", verbose_name=_("items"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title
