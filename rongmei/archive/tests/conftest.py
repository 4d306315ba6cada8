"""Files for archive tests, generated (rongmei.archive.samples), written to tmp_path."""

import pytest

from rongmei.archive import samples


@pytest.fixture
def write(tmp_path):
    """``write(name, data)`` → path of a new file under tmp_path."""

    def make(name: str, data: bytes):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return make


@pytest.fixture(scope="session")
def small_video(tmp_path_factory):
    path = tmp_path_factory.mktemp("media") / "clip.mp4"
    samples.video(path, seconds=2, width=320, height=240)
    return path


@pytest.fixture
def api_headers(db):
    """``api_headers(user)`` → the Authorization header of a new API token of ``user``."""
    from wagtail.models import APIToken

    def make(user) -> dict:
        _, token = APIToken.create_token(user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return make
