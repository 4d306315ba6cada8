"""Chunked, resumable uploads through the API: an interrupted upload
resumes from the last byte received, and nothing is held in memory."""

import io

import pytest

from rongmei.archive import samples, uploads
from rongmei.archive.models import Asset, Upload
from rongmei.core import roles

pytestmark = pytest.mark.django_db


def put_chunk(client, headers, upload_id, data: bytes, offset: int):
    return client.put(
        f"/api/v1/assets/uploads/{upload_id}",
        data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        **headers,
    )


class ShortStream(io.BytesIO):
    """A connection that drops after the bytes it holds."""


def test_an_interrupted_upload_resumes_and_ends_as_one_asset(client, api_headers, role_users, small_video):
    data = small_video.read_bytes()
    headers = api_headers(role_users[roles.REPORTER])
    started = client.post(
        "/api/v1/assets/uploads",
        {"filename": "直播.mp4", "size": len(data), "catalogue": {"event": "国庆75周年大直播"}},
        content_type="application/json",
        **headers,
    )
    assert started.status_code == 201
    upload_id = started.json()["id"]
    first = put_chunk(client, headers, upload_id, data[:10_000], 0)
    assert first.status_code == 200 and first.json()["offset"] == 10_000

    # The connection drops in the middle of the second chunk.
    upload = Upload.objects.get(pk=upload_id)
    with pytest.raises(uploads.UploadError) as cut:
        uploads.append(upload, offset=10_000, stream=ShortStream(data[10_000:15_000]), length=20_000)
    assert cut.value.offset == 10_000
    assert upload.part_path.stat().st_size == 10_000

    # The client asks where to go on, sends from the wrong place (409 with the offset), then right.
    assert client.get(f"/api/v1/assets/uploads/{upload_id}", **headers).json()["offset"] == 10_000
    wrong = put_chunk(client, headers, upload_id, data[12_000:20_000], 12_000)
    assert wrong.status_code == 409 and wrong.json()["offset"] == 10_000
    rest = put_chunk(client, headers, upload_id, data[10_000:], 10_000)
    assert rest.status_code == 201
    body = rest.json()
    assert body["complete"] and body["asset"]["kind"] == "video" and body["asset"]["event"] == "国庆75周年大直播"
    asset = Asset.objects.get()
    with asset.original.open("rb") as handle:
        assert handle.read() == data
    assert not upload.part_path.exists()


def test_someone_elses_upload_is_not_found(client, api_headers, role_users):
    headers = api_headers(role_users[roles.REPORTER])
    upload = client.post(
        "/api/v1/assets/uploads", {"filename": "a.jpg", "size": 10}, content_type="application/json", **headers
    ).json()
    other = api_headers(role_users[roles.EDITOR])
    assert client.get(f"/api/v1/assets/uploads/{upload['id']}", **other).status_code == 404
    assert put_chunk(client, other, upload["id"], b"x" * 10, 0).status_code == 404


def test_a_refused_file_ends_its_upload_with_the_reason(client, api_headers, role_users):
    headers = api_headers(role_users[roles.REPORTER])
    data = samples.photo(400, 300, seed=1)[:3000]  # truncated
    upload = client.post(
        "/api/v1/assets/uploads", {"filename": "cut.jpg", "size": len(data)}, content_type="application/json", **headers
    ).json()
    answer = put_chunk(client, headers, upload["id"], data, 0)
    assert answer.status_code == 422 and "截断" in answer.json()["detail"]
    assert Upload.objects.get(pk=upload["id"]).error
    assert not Asset.objects.exists()


def test_roles_without_add_asset_cannot_upload(client, api_headers, role_users):
    headers = api_headers(role_users[roles.FINANCE])
    answer = client.post(
        "/api/v1/assets/uploads", {"filename": "a.jpg", "size": 10}, content_type="application/json", **headers
    )
    assert answer.status_code == 403
