"""Typed helpers that turn environment variables into settings.

Everything the platform can be configured with is read here, from a mapping
(``os.environ`` in production, a plain dict in tests), so that one settings
module stays declarative and every rule can be tested without Django.

A secret may be given directly (``RONGMEI_SECRET_KEY=…``) or through a file
named by the same variable with ``_FILE`` appended (``RONGMEI_SECRET_KEY_FILE``),
the convention of container secrets.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

LANGUAGES = ("zh-hans", "en")


class ConfigError(Exception):
    """A configuration mistake, explained in one sentence in Chinese and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en

    def sentence(self, language: str = "zh-hans") -> str:
        return self.en if language == "en" else self.zh


def env_str(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    """Read ``name``, or the file named by ``name_FILE``; empty means unset."""
    file_name = env.get(f"{name}_FILE", "").strip()
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                f"无法读取 {name}_FILE 指定的文件 {file_name}（{exc.strerror}），请检查路径和权限。",
                f"Cannot read the file {file_name} named by {name}_FILE ({exc.strerror}); "
                "check the path and its permissions.",
            ) from exc
    value = env.get(name, "").strip()
    return value if value else default


def env_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    value = env_str(env, name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = env_str(env, name)
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if seconds <= 0:
        raise ConfigError(
            f"{name} 的值 {value!r} 无效，请填写大于 0 的秒数。",
            f"{name} has the invalid value {value!r}; give a number of seconds above 0.",
        )
    return seconds


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env_str(env, name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(
        f"{name} 的值 {value!r} 无效，请使用 true 或 false。",
        f"{name} has the invalid value {value!r}; use true or false.",
    )


def data_dir(env: Mapping[str, str]) -> Path:
    return Path(env_str(env, "RONGMEI_DATA_DIR", "./var")).expanduser().resolve()


def ensure_data_dir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"数据目录 {directory} 无法写入（{exc.strerror}），请检查 RONGMEI_DATA_DIR 和目录权限。",
            f"The data dir {directory} is not writable ({exc.strerror}); "
            "check RONGMEI_DATA_DIR and the folder's permissions.",
        ) from exc


def language(env: Mapping[str, str]) -> str:
    value = (env_str(env, "RONGMEI_LANGUAGE", "zh-hans") or "").lower()
    if value not in LANGUAGES:
        raise ConfigError(
            f"RONGMEI_LANGUAGE 的值 {value!r} 不受支持，请使用 zh-hans 或 en。",
            f"RONGMEI_LANGUAGE {value!r} is not supported; use zh-hans or en.",
        )
    return value


def secret_key(env: Mapping[str, str], directory: Path) -> str:
    """The configured key, else one generated once and kept in the data dir."""
    value = env_str(env, "RONGMEI_SECRET_KEY")
    if value:
        return value
    path = directory / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Create with owner-only permissions; O_EXCL makes concurrent starts agree.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


_DATABASE_HINT_ZH = "请使用 sqlite:///绝对路径 或 postgres://用户:密码@主机:端口/数据库名。"
_DATABASE_HINT_EN = "use sqlite:////absolute/path or postgres://user:password@host:port/dbname."


def _bad_database_url(reason_zh: str, reason_en: str) -> ConfigError:
    return ConfigError(
        f"DATABASE_URL 无效：{reason_zh}。{_DATABASE_HINT_ZH}",
        f"DATABASE_URL is invalid: {reason_en}; {_DATABASE_HINT_EN}",
    )


def database(env: Mapping[str, str], directory: Path) -> dict:
    """The Django ``DATABASES['default']`` entry for ``DATABASE_URL``."""
    url = env_str(env, "DATABASE_URL")
    if url is None:
        return sqlite_database(directory / "rongmei.sqlite3")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"sqlite", "sqlite3"}:
        # sqlite:////abs/path (four slashes) or sqlite:///relative/path
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise _bad_database_url("没有给出 SQLite 数据库文件的路径", "no SQLite file path is given")
        return sqlite_database(Path(path).expanduser().resolve())
    if scheme in {"postgres", "postgresql", "pgsql"}:
        try:
            port = parts.port
        except ValueError:
            raise _bad_database_url("端口不是数字", "the port is not a number") from None
        name = unquote(parts.path.lstrip("/"))
        if not parts.hostname and not parse_qs(parts.query).get("host"):
            raise _bad_database_url("没有给出主机名", "no host is given")
        if not name:
            raise _bad_database_url("没有给出数据库名", "no database name is given")
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        options.setdefault("connect_timeout", "5")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if not scheme:
        raise _bad_database_url(f"{url!r} 不是一个 URL", f"{url!r} is not a URL")
    raise _bad_database_url(f"不支持的数据库类型 {scheme!r}", f"the database type {scheme!r} is not supported")


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Keep each thread's connection: opening one and running the PRAGMAs
        # below costs more than most requests.
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            # Writers take the lock when the transaction starts, so two
            # writers wait for each other instead of failing with
            # "database is locked" half-way through.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # mmap_size: pages are read from the operating system's cache in
            # place, shared by every connection, instead of copied into each
            # one's own cache (inserting into the inbox's many indexes: +20%).
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA cache_size=-20000;"
                "PRAGMA mmap_size=1073741824;"
            ),
        },
        "TEST": {"NAME": str(path.with_name(f"test_{path.name}"))},
    }


@dataclass(frozen=True)
class QueueConfig:
    kind: str  # "sqlite" or "redis"
    location: str  # file path or redis URL


def queue(env: Mapping[str, str], directory: Path) -> QueueConfig:
    url = env_str(env, "RONGMEI_QUEUE_URL")
    if url is None:
        return QueueConfig("sqlite", str(directory / "queue.sqlite3"))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"redis", "rediss", "unix"}:
        try:
            parts.port  # noqa: B018 - validates the port
        except ValueError:
            raise ConfigError(
                "RONGMEI_QUEUE_URL 无效：端口不是数字。请使用 redis://主机:端口/库号。",
                "RONGMEI_QUEUE_URL is invalid: the port is not a number; use redis://host:port/db.",
            ) from None
        return QueueConfig("redis", url)
    if scheme in {"sqlite", "sqlite3"}:
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if path:
            return QueueConfig("sqlite", str(Path(path).expanduser().resolve()))
    raise ConfigError(
        f"RONGMEI_QUEUE_URL 无效：{url!r}。请使用 redis://主机:端口/库号，或不设置以使用数据目录中的 SQLite 队列。",
        f"RONGMEI_QUEUE_URL is invalid: {url!r}; use redis://host:port/db, "
        "or leave it unset for the SQLite queue in the data dir.",
    )


def make_huey(config: QueueConfig, name: str = "rongmei"):
    """The Huey instance for huey.contrib.djhuey (``settings.HUEY``)."""
    import huey

    if config.kind == "redis":
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(
            config.location, socket_connect_timeout=3, socket_timeout=10, health_check_interval=30
        )
        return huey.PriorityRedisHuey(name, connection_pool=pool, utc=True)
    Path(config.location).parent.mkdir(parents=True, exist_ok=True)
    return huey.SqliteHuey(name, filename=config.location, utc=True, timeout=20)


def archive_storage(env: Mapping[str, str], directory: Path) -> dict:
    """Where the media archive keeps originals and renditions (``STORAGES["archive"]``).

    By default a folder ``archive/`` in the data dir. With ``RONGMEI_S3_BUCKET``
    set, any S3-compatible object store through django-storages; the other
    ``RONGMEI_S3_*`` variables give its address and credentials."""
    bucket = env_str(env, "RONGMEI_S3_BUCKET")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(directory / "archive"), "directory_permissions_mode": 0o750},
        }
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str(env, "RONGMEI_S3_ENDPOINT_URL"),
        "region_name": env_str(env, "RONGMEI_S3_REGION"),
        "access_key": env_str(env, "RONGMEI_S3_ACCESS_KEY_ID"),
        "secret_key": env_str(env, "RONGMEI_S3_SECRET_ACCESS_KEY"),
        "location": env_str(env, "RONGMEI_S3_PREFIX", "archive"),
        # Originals are private: links are signed and short-lived.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 600,
        "file_overwrite": False,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {k: v for k, v in options.items() if v is not None}}


@dataclass(frozen=True)
class LLMConfig:
    """An OpenAI-compatible chat-completions service (optional)."""

    url: str
    model: str
    key: str
    timeout: float


def llm(env: Mapping[str, str]) -> LLMConfig | None:
    """The generation service from ``RONGMEI_LLM_URL``, ``RONGMEI_LLM_MODEL``,
    ``RONGMEI_LLM_KEY`` (or ``_FILE``) and ``RONGMEI_LLM_TIMEOUT`` (seconds,
    20), or None when no URL is set: the platform then works offline."""
    url = env_str(env, "RONGMEI_LLM_URL")
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ConfigError(
            f"RONGMEI_LLM_URL 的值 {url!r} 无效，请以 http:// 或 https:// 开头。",
            f"RONGMEI_LLM_URL {url!r} is not valid; it starts with http:// or https://.",
        )
    model = env_str(env, "RONGMEI_LLM_MODEL")
    if not model:
        raise ConfigError(
            "设置了 RONGMEI_LLM_URL 时也须设置 RONGMEI_LLM_MODEL（模型名称）。",
            "RONGMEI_LLM_URL is set: set RONGMEI_LLM_MODEL (the model's name) too.",
        )
    raw_timeout = env_str(env, "RONGMEI_LLM_TIMEOUT", "20")
    try:
        timeout = float(raw_timeout)
    except ValueError:
        timeout = 0
    if not 0 < timeout <= 600:
        raise ConfigError(
            f"RONGMEI_LLM_TIMEOUT 的值 {raw_timeout!r} 无效，请填写 1 到 600 之间的秒数。",
            f"RONGMEI_LLM_TIMEOUT {raw_timeout!r} is not valid; use seconds between 1 and 600.",
        )
    return LLMConfig(url=url, model=model, key=env_str(env, "RONGMEI_LLM_KEY", "") or "", timeout=timeout)
