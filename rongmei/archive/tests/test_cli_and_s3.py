"""``rongmei assets import`` and ``rongmei assets verify`` as an operator runs
them: on the default local storage, and on an S3-compatible object store
selected by configuration (moto's server, started here on 127.0.0.1)."""

import json
import zipfile

import pytest

from rongmei.archive import samples
from rongmei.core.tests.cli_helpers import child_env, run_rongmei

pytestmark = pytest.mark.slow


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "拍摄"
    folder.mkdir()
    for seed in range(3):
        (folder / f"现场{seed}.jpg").write_bytes(samples.photo(800, 600, seed=seed))
    (folder / "坏图.jpg").write_bytes(samples.photo(800, 600, seed=7)[:5000])
    return folder


def originals(data_dir):
    return sorted((data_dir / "archive" / "originals").rglob("*.jpg"))


def test_import_then_verify_finds_a_corrupt_and_a_missing_original(tmp_path, folder):
    env = child_env(tmp_path / "data")
    done = run_rongmei("assets", "import", str(folder), "--event", "区委全会", "--photographer", "赵摄影", env=env)
    assert done.returncode == 1, done.stderr  # one file failed
    assert "导入 3 个，重复 0 个，失败 1 个" in done.stdout
    assert "坏图.jpg" in done.stdout and "截断" in done.stdout
    again = run_rongmei("assets", "import", str(folder / "现场0.jpg"), env=env)
    assert "重复 1 个" in again.stdout and again.returncode == 0

    assert run_rongmei("assets", "verify", env=env).returncode == 0
    stored = originals(tmp_path / "data")
    assert len(stored) == 3
    stored[0].write_bytes(stored[0].read_bytes()[:-10] + b"0123456789")
    stored[1].unlink()
    checked = run_rongmei("assets", "verify", env=env)
    assert checked.returncode == 1
    assert "已损坏" in checked.stdout and "缺失" in checked.stdout
    assert "2 个缺失或损坏" in checked.stdout


def test_a_zip_with_a_bomb_and_a_traversal_imports_the_rest(tmp_path):
    path = tmp_path / "批量.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../outside.jpg", samples.photo(300, 200, seed=1))
        archive.writestr("bomb.jpg", b"\x00" * (32 * 1024 * 1024))
        archive.writestr("好图.jpg", samples.photo(300, 200, seed=2))
    done = run_rongmei("assets", "import", str(path), env=child_env(tmp_path / "data"))
    assert "导入 1 个，重复 0 个，失败 2 个" in done.stdout, done.stdout + done.stderr


def test_the_archive_on_an_s3_compatible_store(tmp_path, folder):
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{server._server.server_port}"
        credentials = {"aws_access_key_id": "rongmei", "aws_secret_access_key": "rongmei-secret"}
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials)
        s3.create_bucket(Bucket="rongmei-archive")
        env = child_env(
            tmp_path / "data",
            RONGMEI_S3_BUCKET="rongmei-archive",
            RONGMEI_S3_ENDPOINT_URL=endpoint,
            RONGMEI_S3_REGION="us-east-1",
            RONGMEI_S3_ACCESS_KEY_ID=credentials["aws_access_key_id"],
            RONGMEI_S3_SECRET_ACCESS_KEY=credentials["aws_secret_access_key"],
        )
        done = run_rongmei("assets", "import", str(folder), env=env)
        assert "导入 3 个" in done.stdout, done.stdout + done.stderr
        keys = {item["Key"] for item in s3.list_objects_v2(Bucket="rongmei-archive")["Contents"]}
        assert len([key for key in keys if key.startswith("archive/originals/")]) == 3
        assert not (tmp_path / "data" / "archive").exists()

        # The worker's renditions read the original from the store and write theirs to it.
        script = (
            "from rongmei.archive.actions import build_renditions;"
            "from rongmei.archive.models import Asset;"
            "import json;"
            "made = [build_renditions(a) for a in Asset.objects.all()];"
            "print(json.dumps([[a.status, a.rendition('web').file.url] for a in made]))"
        )
        made = run_rongmei("manage", "shell", "-c", script, env=env)
        results = json.loads(made.stdout.strip().splitlines()[-1])
        assert [status for status, _ in results] == ["ready"] * 3
        assert all(url.startswith(endpoint) and "Signature" in url for _, url in results)  # signed, private

        assert run_rongmei("assets", "verify", env=env).returncode == 0
        victim = sorted(key for key in keys if key.startswith("archive/originals/"))[0]
        s3.put_object(Bucket="rongmei-archive", Key=victim, Body=b"not the photo")
        checked = run_rongmei("assets", "verify", env=env)
        assert checked.returncode == 1 and "已损坏" in checked.stdout
    finally:
        server.stop()
