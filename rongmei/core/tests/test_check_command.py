"""``rongmei check`` and the command's answers to bad configuration."""

from rongmei.core.tests.cli_helpers import child_env, free_port, run_rongmei

CLOSED = f"127.0.0.1:{free_port()}"  # nothing listens here


def test_check_reports_ok_for_every_part_on_the_embedded_default(tmp_path):
    result = run_rongmei("check", env=child_env(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["OK", "configuration"],
        ["OK", "database"],
        ["OK", "queue"],
        ["OK", "storage"],
    ]
    assert str(tmp_path / "rongmei.sqlite3") in result.stdout


def test_check_fails_and_names_an_unreachable_database(tmp_path):
    result = run_rongmei("check", env=child_env(tmp_path, DATABASE_URL=f"postgres://rongmei@{CLOSED}/rongmei"))
    assert result.returncode == 1
    database = next(line for line in result.stdout.splitlines() if " database " in line)
    assert database.startswith("FAIL")
    assert f"PostgreSQL {CLOSED}/rongmei" in database
    assert "DATABASE_URL" in database
    assert "Traceback" not in result.stdout + result.stderr


def test_check_fails_and_names_an_unreachable_queue(tmp_path):
    result = run_rongmei("check", env=child_env(tmp_path, RONGMEI_QUEUE_URL=f"redis://{CLOSED}/0"))
    assert result.returncode == 1
    queue = next(line for line in result.stdout.splitlines() if " queue " in line)
    assert queue.startswith("FAIL")
    assert "RONGMEI_QUEUE_URL" in queue
    assert [line.split()[0] for line in result.stdout.splitlines()].count("OK") == 3


def test_check_fails_on_unwritable_storage(tmp_path):
    media = tmp_path / "media"
    media.write_text("a file where the media folder should be")
    result = run_rongmei("check", env=child_env(tmp_path))
    assert result.returncode == 1
    assert next(line for line in result.stdout.splitlines() if " storage " in line).startswith("FAIL")


def test_malformed_database_url_gives_one_sentence_and_no_traceback(tmp_path):
    for command in (["check"], ["up", "--port", str(free_port())]):
        result = run_rongmei(*command, env=child_env(tmp_path, DATABASE_URL="mysql//oops"))
        assert result.returncode == 2
        assert result.stdout == ""
        message = result.stderr.strip()
        assert "\n" not in message and "Traceback" not in message
        assert message.startswith("DATABASE_URL 无效")


def test_messages_follow_the_configured_language(tmp_path):
    result = run_rongmei("check", env=child_env(tmp_path, DATABASE_URL="mysql//oops", RONGMEI_LANGUAGE="en"))
    assert result.stderr.strip().startswith("DATABASE_URL is invalid")


def test_up_refuses_an_unreachable_database_in_one_sentence(tmp_path):
    result = run_rongmei(
        "up", "--port", str(free_port()), env=child_env(tmp_path, DATABASE_URL=f"postgres://rongmei@{CLOSED}/x")
    )
    assert result.returncode == 1
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "DATABASE_URL" in message


def test_up_refuses_an_unreachable_queue_in_one_sentence(tmp_path):
    result = run_rongmei(
        "up", "--port", str(free_port()), env=child_env(tmp_path, RONGMEI_QUEUE_URL=f"redis://{CLOSED}/0")
    )
    assert result.returncode == 1
    message = result.stderr.strip()
    assert "\n" not in message and "RONGMEI_QUEUE_URL" in message


def test_help_is_in_chinese_and_english(tmp_path):
    result = run_rongmei("--help", env=child_env(tmp_path))
    assert result.returncode == 0
    assert "启动平台" in result.stdout and "start the platform" in result.stdout
    up = run_rongmei("up", "--help", env=child_env(tmp_path))
    assert "不加载演示数据" in up.stdout and "do not load the demo data" in up.stdout
