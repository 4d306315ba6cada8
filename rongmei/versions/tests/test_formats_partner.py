"""The partner-media package (素材包): text, originals with credits, a zip with a manifest."""
# ruff: noqa: F401, F811

import datetime
import hashlib
import io
import json
import zipfile

from rongmei.core import roles
from rongmei.distribution.models import Channel
from rongmei.stories.tests.conftest import api
from rongmei.versions.formats import format_for, partner
from rongmei.versions.models import Version
from rongmei.versions.tests._fixtures import bare_story, channels, department, full_story, newsroom, photo, video


def _version(story, department):
    channel, _ = Channel.objects.get_or_create(organisation=department.organisation, kind="partner", name="新华社")
    assert format_for(channel) is partner
    return Version(story=story, channel=channel, **partner.generate(story, channel))


def _messages(version):
    return [problem.message for problem in partner.validate(version)]


def test_the_package_zip_has_the_text_the_originals_and_a_manifest(full_story, department, photo, video):
    full_story.photographers = "摄影 张晓"
    version = _version(full_story, department)
    assert [item["asset"] for item in version.data["originals"]] == [photo.pk, video.pk]
    assert _messages(version) == []
    buffer = io.BytesIO()
    partner.write_package(version, buffer)
    with zipfile.ZipFile(buffer) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert archive.read("text.txt").decode().startswith("西城区新增十家社区养老服务驿站")
        assert [entry["kind"] for entry in manifest["originals"]] == ["photo", "video"]
        for entry in manifest["originals"]:
            data = archive.read(entry["file"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]
            assert entry["credit"] == "摄影 张晓"
        assert manifest["originals"][0]["caption"] == "社区养老服务驿站里，老人们在吃午饭。"


def test_credits_rights_and_security_are_checked(full_story, department, photo):
    version = _version(full_story, department)
    version.data["originals"][0]["credit"] = ""
    photo.rights_expire_on = datetime.date(2020, 1, 1)
    photo.security = "restricted"
    photo.save()
    assert _messages(version) == [
        "第 1 个原件没有署名。",
        "第 1 个原件（驿站.jpg）的使用授权已过期。",
        "第 1 个原件（驿站.jpg）仅限指定人员使用，不能对外提供。",
    ]
    assert version.data["originals"][1]["credit"] == department.organisation.short_name  # the center's own


def test_an_original_without_any_credit_is_refused(full_story, department):
    version = _version(full_story, department)
    version.data["originals"][1]["credit"] = " "
    assert _messages(version) == ["第 2 个原件没有署名。"]


def test_the_package_is_downloaded_through_the_api_once_it_has_no_problems(
    api, newsroom, full_story, department, photo, video
):
    from rongmei.core.models import AuditEntry
    from rongmei.distribution.models import ChannelKind
    from rongmei.versions import actions

    channel = Channel.objects.create(organisation=department.organisation, kind=ChannelKind.PARTNER, name="素材包")
    version = actions.generate_versions(full_story, user=newsroom[roles.EDITOR], channels=[channel])[0]
    url = f"/stories/{full_story.pk}/versions/{version.pk}/package.zip"
    version = actions.update_version(
        version,
        {"data": {"originals": [{**item, "credit": ""} for item in version.data["originals"]]}},
        user=newsroom[roles.EDITOR],
    )
    refused = api(newsroom[roles.EDITOR]).get(url)
    assert refused.status_code == 409 and "署名" in refused.json()["detail"]
    full_story.refresh_from_db()
    version = actions.update_version(
        version,
        {"data": {"originals": [{**item, "credit": "摄影 张晓"} for item in version.data["originals"]]}},
        user=newsroom[roles.EDITOR],
    )
    response = api(newsroom[roles.REVIEW_1]).get(url)
    assert response.status_code == 200, response.content
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert "manifest.json" in archive.namelist()
    assert AuditEntry.objects.filter(action="versions.partner_package.download").exists()


def test_generation_leaves_out_originals_that_may_not_leave_the_center(full_story, department, photo, video):
    photo.rights_expire_on = datetime.date(2020, 1, 1)
    photo.save()
    assert [item["asset"] for item in _version(full_story, department).data["originals"]] == [video.pk]
    video.security = "restricted"
    video.save()
    story = type(full_story).objects.get(pk=full_story.pk)  # the package is cached on the story object
    assert _version(story, department).data["originals"] == []
