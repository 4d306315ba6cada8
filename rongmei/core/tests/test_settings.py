"""Configuration comes from the environment through rongmei.config."""

from pathlib import Path

import pytest

from rongmei import config
from rongmei.config import ConfigError


def test_defaults_put_everything_in_the_data_dir(tmp_path):
    env = {"RONGMEI_DATA_DIR": str(tmp_path)}
    directory = config.data_dir(env)
    assert directory == tmp_path.resolve()

    database = config.database(env, directory)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(directory / "rongmei.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]

    queue = config.queue(env, directory)
    assert queue == config.QueueConfig("sqlite", str(directory / "queue.sqlite3"))
    assert config.language(env) == "zh-hans"


def test_data_dir_defaults_to_var_in_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert config.data_dir({}) == tmp_path.resolve() / "var"


def test_postgres_url_selects_postgresql(tmp_path):
    env = {"DATABASE_URL": "postgres://rongmei:s%40cret@db.example:6543/newsroom?sslmode=require"}
    database = config.database(env, tmp_path)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("newsroom", "rongmei", "s@cret")
    assert (database["HOST"], database["PORT"]) == ("db.example", "6543")
    assert database["OPTIONS"]["sslmode"] == "require"
    assert database["OPTIONS"]["connect_timeout"] == "5"


def test_sqlite_url_with_absolute_path(tmp_path):
    database = config.database({"DATABASE_URL": f"sqlite:///{tmp_path}/other.db"}, tmp_path)
    assert database["NAME"] == str(tmp_path / "other.db")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://root@localhost/rongmei", "不支持的数据库类型 'mysql'"),
        ("postgres://localhost", "没有给出数据库名"),
        ("postgres://localhost:port/db", "端口不是数字"),
        ("just-a-name", "不是一个 URL"),
        ("sqlite://", "没有给出 SQLite 数据库文件的路径"),
    ],
)
def test_bad_database_url_is_explained_in_one_sentence(tmp_path, url, words):
    with pytest.raises(ConfigError) as caught:
        config.database({"DATABASE_URL": url}, tmp_path)
    sentence = caught.value.sentence("zh-hans")
    assert words in sentence
    assert sentence.startswith("DATABASE_URL 无效")
    assert "postgres://" in sentence  # says how to fix it
    assert "\n" not in sentence
    assert "DATABASE_URL is invalid" in caught.value.sentence("en")


def test_redis_queue_url(tmp_path):
    assert config.queue({"RONGMEI_QUEUE_URL": "redis://127.0.0.1:6379/3"}, tmp_path) == config.QueueConfig(
        "redis", "redis://127.0.0.1:6379/3"
    )


def test_bad_queue_url(tmp_path):
    with pytest.raises(ConfigError, match="RONGMEI_QUEUE_URL is invalid"):
        config.queue({"RONGMEI_QUEUE_URL": "amqp://guest@localhost"}, tmp_path)


def test_secret_is_generated_once_and_kept_private(tmp_path):
    first = config.secret_key({}, tmp_path)
    assert len(first) >= 50
    assert config.secret_key({}, tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_secret_from_environment_wins(tmp_path):
    assert config.secret_key({"RONGMEI_SECRET_KEY": "from-env"}, tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_every_setting_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")
    url_file = tmp_path / "database_url"
    url_file.write_text("postgres://app:pw@db/rongmei")
    env = {"RONGMEI_SECRET_KEY_FILE": str(secret_file), "DATABASE_URL_FILE": str(url_file)}
    assert config.secret_key(env, tmp_path) == "from-a-file"
    assert config.database(env, tmp_path)["PASSWORD"] == "pw"


def test_missing_secret_file_is_explained(tmp_path):
    with pytest.raises(ConfigError) as caught:
        config.env_str({"RONGMEI_SECRET_KEY_FILE": str(tmp_path / "nope")}, "RONGMEI_SECRET_KEY")
    assert "RONGMEI_SECRET_KEY_FILE" in caught.value.sentence()


def test_hosts_language_and_booleans():
    env = {"RONGMEI_ALLOWED_HOSTS": "news.example.cn, 10.0.0.5", "RONGMEI_LANGUAGE": "EN", "RONGMEI_DEBUG": "no"}
    assert config.env_list(env, "RONGMEI_ALLOWED_HOSTS", []) == ["news.example.cn", "10.0.0.5"]
    assert config.language(env) == "en"
    assert config.env_bool(env, "RONGMEI_DEBUG", True) is False
    with pytest.raises(ConfigError):
        config.language({"RONGMEI_LANGUAGE": "fr"})
    with pytest.raises(ConfigError):
        config.env_bool({"RONGMEI_DEBUG": "maybe"}, "RONGMEI_DEBUG", False)


def test_unwritable_data_dir_is_explained(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError) as caught:
        config.ensure_data_dir(Path(blocker) / "var")
    assert "RONGMEI_DATA_DIR" in caught.value.sentence()
