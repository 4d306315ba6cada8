import pytest
from wagtail.models import APIToken
from wagtail.test.utils.form_data import rich_text

from rongmei.core import roles
from rongmei.stories import actions
from rongmei.stories.models import Category


@pytest.fixture
def newsroom(role_users, make_user):
    """The nine roles, plus a second reviewer at each level."""
    users = dict(role_users)
    users["初审2"] = make_user("review1b", roles.REVIEW_1)
    users["复审2"] = make_user("review2b", roles.REVIEW_2)
    users["终审2"] = make_user("review3b", roles.REVIEW_3)
    return users


@pytest.fixture
def story(newsroom):
    return actions.create_story(
        author=newsroom[roles.REPORTER],
        title="西城区新增十家社区养老服务驿站",
        summary="十家驿站年内投入使用。",
        body="<p>记者从区民政局获悉，今年西城区新增十家社区养老服务驿站。</p>",
        category=Category.objects.get(name="民生"),
        keywords=["养老", "社区"],
    )


@pytest.fixture
def api(client):
    """Call the API as a user: ``api(user).get(path)``."""

    class Caller:
        def __init__(self, user):
            _, token = APIToken.create_token(user=user, name="test")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

        def get(self, path, **params):
            return client.get(f"/api/v1{path}", params, **self.headers)

        def post(self, path, data=None):
            return client.post(f"/api/v1{path}", data or {}, content_type="application/json", **self.headers)

        def put(self, path, data):
            return client.put(f"/api/v1{path}", data, content_type="application/json", **self.headers)

    return Caller


def editor_form(story, **changes) -> dict:
    """The POST data of the admin editor for ``story``, as a browser sends it."""
    values = {
        "kicker": story.kicker,
        "title": story.title,
        "subtitle": story.subtitle,
        "summary": story.summary,
        "body": story.body,
        "photographers": story.photographers,
        "camera_operators": story.camera_operators,
        "department": story.department_id or "",
        "category": story.category_id or "",
        "keywords": ", ".join(story.keywords.names()),
        "source": story.source,
        "source_name": story.source_name,
        "planned_publish_at": "",
        "embargo_until": "",
        **changes,
    }
    values["body"] = rich_text(values["body"])
    values["reporters"] = [user.pk for user in story.reporters.all()]
    # The "Assets" tab: the attached assets as they are (an inline formset).
    links = list(story.attached_assets.all())
    values.update({"attached_assets-TOTAL_FORMS": len(links), "attached_assets-INITIAL_FORMS": len(links)})
    values.update({"attached_assets-MIN_NUM_FORMS": 0, "attached_assets-MAX_NUM_FORMS": 1000})
    for i, link in enumerate(links):
        values.update(
            {
                f"attached_assets-{i}-id": link.pk,
                f"attached_assets-{i}-asset": link.asset_id,
                f"attached_assets-{i}-rights_override_reason": link.rights_override_reason,
                f"attached_assets-{i}-ORDER": i + 1,
            }
        )
    # The "Versions" tab: the versions of the latest revision as they are (an inline formset).
    latest = story.get_latest_revision_as_object() if story.latest_revision_id else story
    versions = list(latest.versions.all())
    values.update({"versions-TOTAL_FORMS": len(versions), "versions-INITIAL_FORMS": len(versions)})
    values.update({"versions-MIN_NUM_FORMS": 0, "versions-MAX_NUM_FORMS": 1000})
    for i, version in enumerate(versions):
        values.update(
            {
                f"versions-{i}-id": version.pk or "",
                f"versions-{i}-channel": version.channel_id,
                f"versions-{i}-kicker": version.kicker,
                f"versions-{i}-subtitle": version.subtitle,
                f"versions-{i}-title": version.title,
                f"versions-{i}-author": version.author,
                f"versions-{i}-summary": version.summary,
                f"versions-{i}-body": version.body,
                f"versions-{i}-cover": version.cover_id or "",
                f"versions-{i}-video": version.video_id or "",
            }
        )
    return values
