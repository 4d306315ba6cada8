"""The ``rongmei`` command: run, check and seed the platform.

Every failure a person can fix ends in one sentence on stderr and a non-zero
exit, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable

from rongmei.config import ConfigError

DESCRIPTION = """\
融媒 Rongmei — 区县融媒体中心平台 / the platform for district and county convergence media centers.

第一次使用 / first time:  rongmei up      然后打开 / then open http://127.0.0.1:8000/admin/
配置见 README 的环境变量表 / configuration: see the environment table in README.md.
"""


def _language() -> str:
    return "en" if os.environ.get("RONGMEI_LANGUAGE", "").strip().lower() == "en" else "zh-hans"


def _fail(sentence: str, code: int = 1) -> int:
    print(sentence, file=sys.stderr)
    return code


def _setup() -> None:
    """Load settings and Django; a configuration mistake becomes ConfigError."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")
    import django
    from django.conf import settings
    from django.utils import translation

    django.setup()
    translation.activate(settings.LANGUAGE_CODE)


def _say(text: str) -> None:
    print(text, flush=True)


def _step(number: int, total: int, label: str, work: Callable[[], object]):
    from django.utils.translation import gettext as _

    print(f"[{number}/{total}] {label}…", end=" ", flush=True)
    started = time.monotonic()
    result = work()
    print(_("done (%.1f s)") % (time.monotonic() - started), flush=True)
    return result


# ---------------------------------------------------------------- check


def cmd_check(args) -> int:
    from rongmei.core.health import all_checks

    results = all_checks()
    width = max(len(r.name) for r in results)
    for result in results:
        print(f"{'OK  ' if result.ok else 'FAIL'}  {result.name:<{width}}  {result.detail}")
    return 0 if all(r.ok for r in results) else 1


# ---------------------------------------------------------------- demo


def cmd_demo(args) -> int:
    from django.utils.translation import gettext as _

    from rongmei.core import bootstrap
    from rongmei.core.health import check_database

    database = check_database()
    if not database.ok:
        return _fail(database.detail)
    bootstrap.migrate()
    _print_demo_summary(*_load_demo())
    _say(_("Demo data loaded."))
    return 0


def _load_demo(background: bool = False):
    from rongmei.core.audit import audit_context
    from rongmei.core.models import AuditEntry
    from rongmei.demo import load_demo

    with audit_context(via=AuditEntry.Via.CLI):
        return load_demo(background=background)


def _print_demo_summary(summary: dict[type, int], queued: list[str] = ()) -> None:
    from django.utils.translation import gettext as _

    from rongmei.core.demo import DEMO_PASSWORD, USERS

    _say("    " + _(", ").join(f"{model._meta.verbose_name_plural} {count}" for model, count in summary.items()))
    if queued:
        _say(
            "    "
            + _(
                "The demo stories (filed and taken through review) and the demo media archive are loaded by the "
                "background worker; they appear within a minute or two."
            )
        )
    _say(
        "    "
        + _("Demo logins (password “%(password)s”): %(users)s")
        % {"password": DEMO_PASSWORD, "users": ", ".join(f"{u[0]}（{u[3]}）" for u in USERS)}
    )
    _say("    " + _("Demo accounts have a public password: start a real center with --no-demo."))


# ---------------------------------------------------------------- assets


class _ProgressBar:
    """A one-line progress bar on a terminal; plain lines when not a terminal."""

    def __init__(self, total: int, unit: str = "B"):
        self.total, self.unit, self.started = max(total, 1), unit, time.monotonic()
        self.tty = sys.stdout.isatty()
        self.last_line = 0.0

    def show(self, done: int, label: str = "") -> None:
        share = min(1.0, done / self.total)
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0
        amount = f"{done / 1024**2:,.1f}/{self.total / 1024**2:,.1f} MB" if self.unit == "B" else f"{done}/{self.total}"
        speed = f"{rate / 1024**2:,.1f} MB/s" if self.unit == "B" else f"{rate:,.1f}/s"
        if self.tty:
            bar = "█" * int(share * 30) + "░" * (30 - int(share * 30))
            print(f"\r{bar} {share:6.1%} {amount} {speed} {label[-40:]:<40}", end="", flush=True)
        elif time.monotonic() - self.last_line > 5 or share >= 1:
            self.last_line = time.monotonic()
            print(f"{share:6.1%} {amount} {speed}", flush=True)

    def finish(self) -> None:
        if self.tty:
            print(flush=True)


def cmd_assets_import(args) -> int:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from rongmei.archive import catalogue, importer
    from rongmei.core import bootstrap
    from rongmei.core.audit import audit_context
    from rongmei.core.health import check_database
    from rongmei.core.models import AuditEntry

    database = check_database()
    if not database.ok:
        return _fail(database.detail)
    bootstrap.migrate()
    user = None
    if args.user:
        user = get_user_model().objects.filter(username=args.user, is_active=True).first()
        if user is None:
            return _fail(_("There is no active user “%(name)s”.") % {"name": args.user})
    fields = {key: value for key, value in (("event", args.event), ("photographer", args.photographer)) if value}
    try:
        catalogue.clean({k: v for k, v in fields.items() if k != "event"})
    except ValidationError as error:
        return _fail(" ".join(m for messages in error.message_dict.values() for m in messages))
    if not os.path.exists(args.path):
        return _fail(_("%(path)s does not exist.") % {"path": args.path})
    try:
        total = importer.total_bytes(args.path)
    except (OSError, ValueError) as error:
        return _fail(str(error))
    bar = _ProgressBar(total)
    with audit_context(via=AuditEntry.Via.CLI):
        try:
            report = importer.import_path(
                args.path, user=user, catalogue=fields, progress=lambda source, done: bar.show(done, source.name)
            )
        except (OSError, ValueError) as error:
            bar.finish()
            return _fail(str(error))
    bar.finish()
    _say(
        _("Imported %(imported)d, duplicates %(duplicates)d, failed %(failed)d (of %(total)d files).")
        % {
            "imported": len(report.imported),
            "duplicates": len(report.duplicates),
            "failed": len(report.failed),
            "total": report.total,
        }
    )
    for name, asset_id in report.duplicates:
        _say("  " + _("duplicate: %(name)s is already asset %(id)s") % {"name": name, "id": asset_id})
    for name, reason in report.failed:
        _say("  " + _("failed: %(name)s — %(reason)s") % {"name": name, "reason": reason})
    return 1 if report.failed else 0


def cmd_assets_verify(args) -> int:
    from django.utils.translation import gettext as _

    from rongmei.archive import actions
    from rongmei.archive.models import Asset

    assets = Asset.objects.order_by("pk")
    bar = _ProgressBar(sum(assets.values_list("size", flat=True)) or 1)
    done = 0

    def advance(asset):
        nonlocal done
        done += asset.size
        bar.show(done, asset.original_name)

    problems = list(actions.verify(assets.iterator(), progress=advance))
    bar.finish()
    for asset, problem in problems:
        _say(f"  #{asset.pk} {asset.original_name} ({asset.original.name}): {problem}")
    _say(
        _("Checked %(count)d originals: %(bad)d missing or corrupt.") % {"count": assets.count(), "bad": len(problems)}
    )
    return 1 if problems else 0


# ---------------------------------------------------------------- report


def cmd_report_performance(args) -> int:
    from django.utils.translation import gettext as _

    from rongmei.core import bootstrap
    from rongmei.core.health import check_database
    from rongmei.performance import placeholders, report
    from rongmei.performance.models import FiscalYear

    database = check_database()
    if not database.ok:
        return _fail(database.detail)
    bootstrap.migrate()
    if not FiscalYear.objects.filter(year=args.year).exists():
        years = "、".join(str(y) for y in FiscalYear.objects.order_by("year").values_list("year", flat=True))
        return _fail(
            _("There is no fiscal year %(year)s (years: %(years)s).") % {"year": args.year, "years": years or "—"}
        )
    try:
        paths, pdf_skipped = report.write_files(args.year, args.out)
    except placeholders.PlaceholderError as error:
        return _fail(error.message)
    except OSError as error:
        return _fail(_("Cannot write the report: %(error)s") % {"error": error})
    for path in paths:
        _say(str(path))
    if pdf_skipped:
        _say(_("PDF skipped: LibreOffice (soffice) is not installed."))
    return 0


# ---------------------------------------------------------------- worker


def cmd_worker(args) -> int:
    from django.core.management import call_command

    from rongmei.core.health import check_database, check_queue

    for result in (check_database(), check_queue()):
        if not result.ok:
            return _fail(result.detail)
    from django.db import connections

    # Process workers are forked from this process: none may inherit its
    # database connection (Huey closes its own queue connection itself).
    connections.close_all()
    # An idle worker looks for new work at least twice a second (Huey's
    # default backs off to 10 s), so an approved story's first delivery
    # attempt starts within a second; on Redis the worker blocks on the list.
    options = {"workers": args.workers, "worker_type": args.kind, "max_delay": 0.5}
    if args.no_periodic:
        options["periodic"] = False
    call_command("run_huey", **options)
    return 0


# ---------------------------------------------------------------- up


def _port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _collect_static() -> None:
    """Copy static files into the data dir, only when the code changed."""
    from pathlib import Path

    import django
    import wagtail
    from django.conf import settings
    from django.core.management import call_command

    import rongmei

    package = Path(rongmei.__file__).parent
    newest = max((p.stat().st_mtime for p in package.glob("*/static/**/*") if p.is_file()), default=0)
    stamp = f"{rongmei.__version__} {django.__version__} {wagtail.__version__} {newest}"
    stamp_file = Path(settings.STATIC_ROOT) / ".rongmei-stamp"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return
    call_command("collectstatic", interactive=False, verbosity=0, clear=stamp_file.exists())
    stamp_file.write_text(stamp)


def _http_workers() -> int:
    # Two processes a core, two threads each: keep-alive connections stay with
    # the process that accepted them, so more processes spread them better
    # over the cores than more threads, which share one interpreter lock.
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def _server_command(args) -> list[str]:
    bind = f"[{args.host}]:{args.port}" if ":" in args.host else f"{args.host}:{args.port}"
    return [
        sys.executable, "-m", "gunicorn", "rongmei.wsgi:application",
        "--bind", bind,
        "--workers", str(args.http_workers or _http_workers()),
        "--worker-class", "gthread",
        "--threads", "2",
        # Django and Wagtail are imported once, in the master, and the web
        # processes forked from it: four processes importing them at once on
        # two cores delayed the first answer by seconds; a process restarted
        # by --max-requests starts at once. Nothing at import opens a
        # connection, so none is shared across the fork.
        "--preload",
        "--timeout", "120",
        "--graceful-timeout", "10",
        # A safety valve against leaks.
        "--max-requests", "100000",
        "--max-requests-jitter", "10000",
        "--access-logfile", "-" if args.access_log else "/dev/null",
        "--error-logfile", "-",
        # Several servers may run on one machine (tests, several centers).
        "--no-control-socket",
    ]  # fmt: skip


def _wait_until_healthy(url: str, processes, deadline: float, cancelled: Callable[[], bool]) -> bool:
    # Our own server: never through the http_proxy a government network may set.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline and not cancelled():
        if any(p.poll() is not None for p in processes):
            return False
        try:
            with opener.open(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def _stop(processes: list[subprocess.Popen], graceful: list[int], timeout: float = 20) -> None:
    for process, sig in zip(processes, graceful, strict=True):
        if process.poll() is None:
            process.send_signal(sig)
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cmd_up(args) -> int:
    from django.db import connections
    from django.utils.translation import gettext as _

    from rongmei.core import bootstrap
    from rongmei.core.actions import ensure_first_administrator
    from rongmei.core.audit import audit_context
    from rongmei.core.health import check_database, check_queue
    from rongmei.core.models import AuditEntry
    from rongmei.demo import is_empty

    for result in (check_database(), check_queue()):
        if not result.ok:
            return _fail(result.detail)
    if not _port_is_free(args.host, args.port):
        return _fail(
            _("Port %(port)d on %(host)s is already in use; stop what uses it or choose another with --port.")
            % {"port": args.port, "host": args.host}
        )

    total = 4
    _step(1, total, _("Migrating the database"), bootstrap.migrate)
    _step(2, total, _("Collecting static files"), _collect_static)
    with audit_context(via=AuditEntry.Via.CLI):
        created = _step(3, total, _("Checking the administrator account"), ensure_first_administrator)
    if created:
        user, password = created
        _say("    " + _("First administrator created. Login: %(username)s  Password: %(password)s") % {
            "username": user.username, "password": password})  # fmt: skip
        _say("    " + _("The password is shown only this once: write it down, then change it after signing in."))
    if not args.no_demo and is_empty():
        _print_demo_summary(*_step(4, total, _("Loading demo data"), lambda: _load_demo(background=True)))
    else:
        _say(f"[4/{total}] " + _("Demo data: skipped"))
    connections.close_all()

    # Handlers first: a signal that arrives while the children start must stop them.
    stopping = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    processes = [subprocess.Popen(_server_command(args))]
    # Gunicorn stops gracefully on SIGTERM, the Huey consumer on SIGINT.
    graceful = [signal.SIGTERM]
    if not args.no_worker:
        worker = [sys.executable, "-m", "rongmei", "worker", "--workers", str(args.workers), "--kind", args.worker_kind]
        processes.append(subprocess.Popen(worker))
        graceful.append(signal.SIGINT)

    host = f"[{args.host}]" if ":" in args.host else args.host
    base = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '') else host}:{args.port}"  # noqa: S104 - a name to connect to, not a bind
    if _wait_until_healthy(f"{base}/healthz", processes, time.monotonic() + 180, lambda: stopping):
        _say(_("Rongmei is running: %(url)s  (press Ctrl-C to stop)") % {"url": f"{base}/admin/"})
    elif not stopping:
        _stop(processes, graceful)
        return _fail(_("The web server or the worker did not start; see the messages above."))

    code = 0
    while not stopping:
        if any(p.poll() is not None for p in processes):
            _say(_("The web server or the worker stopped unexpectedly; stopping the other."))
            code = 1
            break
        time.sleep(0.3)
    _say(_("Stopping…"))
    _stop(processes, graceful)
    _say(_("Stopped."))
    return code


# ---------------------------------------------------------------- manage


def cmd_manage(args) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rongmei manage", *args.arguments])
    return 0


# ---------------------------------------------------------------- parser


def _bilingual_help(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("-h", "--help", action="help", help="显示帮助 / show this help")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _bilingual_help(
        argparse.ArgumentParser(
            prog="rongmei",
            description=DESCRIPTION,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            add_help=False,
        )
    )
    parser._optionals.title = "选项 / options"
    commands = parser.add_subparsers(dest="command", title="命令 / commands", metavar="COMMAND", required=True)

    def command(name, summary, description=None):
        sub = commands.add_parser(
            name, help=summary, description=description or summary, add_help=False,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )  # fmt: skip
        sub._optionals.title = "选项 / options"
        return _bilingual_help(sub)

    up = command(
        "up",
        "启动平台 / start the platform",
        "迁移数据库、创建首个管理员、在空库中加载演示数据，然后启动 Web 服务（gunicorn）和后台任务（Huey）。\n"
        "Ctrl-C 同时停止两者。\n"
        "Migrate, create the first administrator, load demo data into an empty database, then run\n"
        "the web server (gunicorn) and the background worker (Huey). Ctrl-C stops both.",
    )
    up.add_argument("--host", default="127.0.0.1", help="监听地址 / address to listen on (默认/default 127.0.0.1)")
    up.add_argument("--port", type=int, default=8000, help="端口 / port (默认/default 8000)")
    up.add_argument("--no-demo", action="store_true", help="不加载演示数据 / do not load the demo data")
    up.add_argument(
        "--no-worker", action="store_true",
        help="不启动后台任务（多台 Web 机器时，由 rongmei worker 另行运行）/ no worker (run rongmei worker elsewhere)",
    )  # fmt: skip
    up.add_argument("--workers", type=int, default=2, help="后台任务数 / background workers (默认/default 2)")
    up.add_argument(
        "--worker-kind", choices=["thread", "process"], default="thread",
        help="后台任务用线程还是进程 / worker threads or processes (默认/default thread)",
    )  # fmt: skip
    up.add_argument("--http-workers", type=int, default=0, help="Web 进程数 / web processes (默认按 CPU / by CPU)")
    up.add_argument("--access-log", action="store_true", help="打印访问日志 / print the access log")
    up.set_defaults(func=cmd_up)

    worker = command("worker", "只启动后台任务 / run the worker alone")
    worker.add_argument("--workers", type=int, default=2, help="并行任务数 / tasks at a time (默认/default 2)")
    worker.add_argument(
        "--kind", choices=["thread", "process"], default="thread",
        help="线程（省内存）或进程（每个任务一个进程，彼此隔离）/ threads (less memory) or processes "
        "(each task in a process of its own) (默认/default thread)",
    )  # fmt: skip
    worker.add_argument(
        "--no-periodic", action="store_true",
        help="不调度定时任务（多台机器时只让一台调度）/ do not schedule periodic tasks (let one machine do it)",
    )  # fmt: skip
    worker.set_defaults(func=cmd_worker)

    demo = command(
        "demo", "加载演示数据（可重复，已有记录会更新）/ load the demo data (again: updates, never duplicates)"
    )
    demo.set_defaults(func=cmd_demo)

    assets = command("assets", "素材库 / the media archive")
    assets_commands = assets.add_subparsers(dest="assets_command", metavar="ACTION", required=True)
    assets_import = assets_commands.add_parser(
        "import", help="导入文件夹或 zip / import a folder or a zip", add_help=False,
        description="导入文件夹或 zip 中的全部文件；单个文件失败不影响其他文件。\n"
        "Import every file of a folder or zip; a file that fails never stops the rest.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    _bilingual_help(assets_import)
    assets_import._optionals.title = "选项 / options"
    assets_import.add_argument("path", metavar="PATH", help="文件夹、zip 或单个文件 / a folder, a zip or one file")
    assets_import.add_argument("--event", help="活动名称（不存在则新建）/ event name (created if new)")
    assets_import.add_argument("--photographer", help="摄影/摄像 / photographer or camera operator")
    assets_import.add_argument("--user", help="记为上传人的用户名 / username recorded as the uploader")
    assets_import.set_defaults(func=cmd_assets_import)
    assets_verify = assets_commands.add_parser(
        "verify", help="重新校验原件哈希 / re-hash the stored originals", add_help=False,
        description="重新计算每个原件的 SHA-256，报告缺失或损坏的文件（有则退出码 1）。\n"
        "Re-hash every stored original and report any missing or corrupt (exit status 1 if any).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    _bilingual_help(assets_verify)
    assets_verify._optionals.title = "选项 / options"
    assets_verify.set_defaults(func=cmd_assets_verify)

    report_parser = command("report", "生成报告 / write a report")
    report_commands = report_parser.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    performance = report_commands.add_parser(
        "performance", help="部门整体支出绩效自评报告 / the annual performance self-evaluation", add_help=False,
        description="写出 FILE.docx、FILE.html、FILE.md（安装了 LibreOffice 时还有 FILE.pdf）。\n"
        "Write FILE.docx, FILE.html and FILE.md (and FILE.pdf where LibreOffice is installed).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    _bilingual_help(performance)
    performance._optionals.title = "选项 / options"
    performance.add_argument("--year", type=int, required=True, help="年度 / fiscal year")
    performance.add_argument("--out", required=True, metavar="FILE", help="输出文件（不含扩展名）/ output file")
    performance.set_defaults(func=cmd_report_performance)

    check = command(
        "check",
        "检查配置、数据库、任务队列和文件存储，任何一项失败即以非零状态退出 / "
        "check configuration, database, queue and storage; exits non-zero on any FAIL",
    )
    check.set_defaults(func=cmd_check)

    manage = commands.add_parser("manage", help="Django 管理命令 / Django management command", add_help=False)
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        _setup()
    except ConfigError as exc:
        return _fail(exc.sentence(_language()), 2)
    try:
        return args.func(args)
    except ConfigError as exc:
        return _fail(exc.sentence(_language()), 2)
    except KeyboardInterrupt:
        return 130
