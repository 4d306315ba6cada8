"""The admin upload: one POST per file, answered with JSON; a refused file
gets its reason, a duplicate links to the asset already there."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from rongmei.archive import samples
from rongmei.archive.models import Asset
from rongmei.core import roles
from rongmei.core.models import AuditEntry

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/archive/upload/"


def upload(client, name, data, **catalogue):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **catalogue})


def translated(message, **values):
    with override("zh-hans"):
        return gettext(message) % values if values else gettext(message)


def test_the_page_has_the_drop_zone_the_catalogue_fields_and_the_script(client, role_users):
    client.force_login(role_users[roles.REPORTER])
    page = client.get(UPLOAD).content.decode()
    assert 'type="file" name="file" multiple' in page and "data-archive-dropzone" in page
    assert 'name="event"' in page and 'name="photographer"' in page
    assert "archive/upload.js" in page and "csrfmiddlewaretoken" in page


def test_a_good_jpeg_becomes_an_asset_with_the_catalogue_of_the_form(client, role_users):
    reporter = role_users[roles.REPORTER]
    client.force_login(reporter)
    response = upload(
        client, "国庆.jpg", samples.photo(640, 480, seed=1), event="国庆75周年大直播", photographer="王晓", location=""
    )
    assert response.status_code == 200
    answer = response.json()
    asset = Asset.objects.get(pk=answer["asset"])
    assert answer["ok"] is True and answer["duplicate"] is False
    assert answer["url"] == reverse("archive:asset", args=[asset.pk])
    assert answer["message"] == translated("Uploaded.")
    assert (asset.kind, asset.original_name, asset.uploaded_by) == ("photo", "国庆.jpg", reporter)
    assert (asset.event.name, asset.photographer, asset.width) == ("国庆75周年大直播", "王晓", 640)
    assert AuditEntry.objects.filter(action="archive.asset.ingest", object_id=str(asset.pk)).exists()


def test_the_same_content_again_is_reported_as_already_there_with_a_link(client, role_users):
    client.force_login(role_users[roles.REPORTER])
    data = samples.photo(320, 240, seed=2)
    first = upload(client, "第一次.jpg", data).json()
    again = upload(client, "b.jpg", data)
    assert again.status_code == 200
    answer = again.json()
    assert answer["ok"] is True and answer["duplicate"] is True and answer["asset"] == first["asset"]
    assert answer["url"] == reverse("archive:asset", args=[first["asset"]])
    assert answer["message"] == translated("Already in the archive: “%(asset)s”.", asset="第一次.jpg")
    assert Asset.objects.count() == 1


def test_a_name_that_lies_about_the_type_is_refused_with_its_reason(client, role_users):
    client.force_login(role_users[roles.REPORTER])
    response = upload(client, "video.mp4", samples.photo(100, 100, seed=3))
    assert response.status_code == 400
    answer = response.json()
    expected = translated(
        "The file name says .%(suffix)s, but the content is %(actual)s. Rename it or check the file.",
        suffix="mp4",
        actual="JPEG",
    )
    assert answer == {"ok": False, "asset": None, "duplicate": False, "message": expected}
    assert not Asset.objects.exists()


def test_an_empty_file_is_refused_and_the_next_file_still_goes_in(client, role_users):
    client.force_login(role_users[roles.REPORTER])
    response = upload(client, "empty.jpg", b"")
    assert response.status_code == 400
    assert response.json()["message"] == translated("The file is empty (0 bytes).")
    assert upload(client, "next.jpg", samples.photo(80, 60, seed=4)).json()["ok"] is True
    assert Asset.objects.count() == 1


def test_a_bad_catalogue_value_refuses_the_file_with_the_field_named(client, role_users):
    client.force_login(role_users[roles.REPORTER])
    response = upload(client, "x.jpg", samples.photo(80, 60, seed=5), date="2024-02-30")
    assert response.status_code == 400
    message = response.json()["message"]
    assert translated("“%(value)s” is not a date; write it as 2024-10-01.", value="2024-02-30") in message
    assert not Asset.objects.exists()


def test_no_file_and_no_permission_are_refused_as_json(client, role_users):
    client.force_login(role_users[roles.REPORTER])
    response = client.post(UPLOAD, {"event": "x"})
    assert response.status_code == 400 and response.json()["ok"] is False
    client.force_login(role_users[roles.REVIEW_1])  # reads the archive, does not add to it
    response = upload(client, "x.jpg", samples.photo(80, 60, seed=6))
    assert response.status_code == 403 and response.json()["ok"] is False
    assert not Asset.objects.exists()


def test_csrf_the_token_of_the_page_works_and_a_post_without_it_is_refused(role_users):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(role_users[roles.REPORTER])
    page = browser.get(UPLOAD).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = samples.photo(80, 60, seed=7)
    refused = browser.post(UPLOAD, {"file": SimpleUploadedFile("x.jpg", data)})
    assert refused.status_code == 403 and not Asset.objects.exists()
    # As upload.js sends it: the token in the X-CSRFToken header.
    accepted = browser.post(UPLOAD, {"file": SimpleUploadedFile("x.jpg", data)}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200 and accepted.json()["ok"] is True


def test_the_script_posts_each_file_with_the_csrf_header_and_reports_progress():
    script = (Path(__file__).parents[1] / "static" / "archive" / "upload.js").read_text()
    assert 'setRequestHeader("X-CSRFToken"' in script
    assert 'xhr.upload.addEventListener("progress"' in script
    assert 'data.append("file", job.file' in script
