# ruff: noqa: F401, F811 - fixtures imported by name
"""Browser tests: the public website in headless Chromium (Debian's
``chromium`` and ``chromium-driver`` packages), driven by Selenium, against
pytest-django's live server.

- ``browser``: one Chromium for the whole run (it costs a second to start),
  a 1280×900 window at the start of every test, no cookies left from the
  previous test; ``browser.as_phone()`` narrows it to a phone's width.
  Selenium Manager never runs: the driver and the browser are given by
  path (``RONGMEI_CHROMEDRIVER``, ``RONGMEI_CHROMIUM``; /usr/bin by default)
  and ``SE_OFFLINE`` forbids downloads.
- A screenshot of the page at the end of every test, named after the test,
  in ``<repo>/var/screenshots/`` or ``RONGMEI_SCREENSHOT_DIR``; the run's
  summary says where.
- Without Chromium, its driver or Selenium the tests are skipped, saying
  what to install; with ``CI_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they
  fail instead.

The live server runs in another thread, so the tests need real
transactions: pytest-django's ``transactional_db``, which empties every
table afterwards. Two things are added to it here. The rows the migrations
wrote (home pages, roles, the site) are restored before each test
(serialized rollback). The audit log's append-only triggers are dropped only
around Django's own restore and flush, which rewrite and delete audit rows,
and are in place while the test runs (see docs/decisions.md).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest

from rongmei.archive.actions import build_renditions
from rongmei.core import audit_triggers
from rongmei.distribution.models import DeliveryState
from rongmei.distribution.tests.conftest import make_channel, make_delivery, settle
from rongmei.versions.tests._fixtures import channels, department, full_story, newsroom, photo, story, video
from rongmei.website.models import ArticlePage

CHROMIUM = os.environ.get("RONGMEI_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("RONGMEI_CHROMEDRIVER", "/usr/bin/chromedriver")
DESKTOP = (1280, 900)
PHONE = (390, 844)
WAIT_SECONDS = 10
REPO = Path(__file__).resolve().parents[4]
PUBLIC_URL = "https://www.example.gov.cn/"

_screenshots: list[Path] = []


def screenshot_dir() -> Path:
    return Path(os.environ.get("RONGMEI_SCREENSHOT_DIR") or REPO / "var" / "screenshots")


def _missing() -> str | None:
    """What this machine lacks to run the browser tests, or None."""
    try:
        import selenium
    except ImportError:
        return "Selenium is not installed: pip install -e '.[test]'"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            return f"{path} is missing: apt-get install chromium chromium-driver (Debian package {package})"
    return None


def _unavailable(reason: str):
    if os.environ.get("CI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests cannot run: {reason} (CI_REQUIRE_BROWSER=1 forbids skipping them)", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


class Browser:
    """A Selenium driver on the live server, with a few helpers; anything
    else is the driver's own (``browser.title``, ``browser.execute_script``…)."""

    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url

    def __getattr__(self, name):
        return getattr(self.driver, name)

    def go(self, path: str) -> None:
        """Open a path of the live server and wait for the page to load."""
        self.driver.get(self.base_url + path)

    @property
    def path(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.driver.current_url).path

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def link(self, text: str):
        """The link whose visible text is ``text``."""
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.LINK_TEXT, text)

    @property
    def text(self) -> str:
        """What a visitor reads on the page."""
        return self.find("body").text

    def wait_until(self, condition, timeout: float = WAIT_SECONDS, message: str = ""):
        """Wait until ``condition(driver)`` is truthy, and return it."""
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout).until(condition, message)

    @contextlib.contextmanager
    def loads_a_page(self):
        """Wait, after the block, until the browser has left the page it was on
        (for a form that loads its own address again)."""
        from selenium.common.exceptions import WebDriverException

        page = self.find("html")

        def left(_driver) -> bool:
            try:
                page.is_enabled()
            except WebDriverException:  # stale; or, mid-navigation, Chrome's "does not belong to the document"
                return True
            return False

        yield
        self.wait_until(left, message="the browser did not load a new page")

    def wait_for_path(self, path: str) -> None:
        self.wait_until(lambda _: self.path == path, message=f"the browser did not reach {path} (at {self.path})")

    def image_loaded(self, image) -> bool:
        """Whether the browser fetched and decoded the picture (scrolled into view first: pictures load lazily)."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", image)
        return bool(
            self.wait_until(
                lambda driver: driver.execute_script(
                    "return arguments[0].complete && arguments[0].naturalWidth > 0;", image
                ),
                message=f"the picture {image.get_attribute('src')} did not load",
            )
        )

    @property
    def horizontal_overflow(self) -> int:
        """How many pixels the page is wider than the window (0 on a responsive page)."""
        return self.driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
        )

    def as_phone(self, width: int = PHONE[0], height: int = PHONE[1]) -> None:
        """Narrow the window to a phone's screen, for the rest of the test
        (and its screenshot); the next test starts at 1280×900 again."""
        self.driver.set_window_size(width, height)


def pytest_runtest_setup(item):
    """Skip (or fail, in CI) before any fixture is set up where the browser is missing."""
    reason = _missing()
    if reason:
        _unavailable(reason)


@pytest.fixture(scope="session")
def _chromium():
    """The session's headless Chromium, started at its first use."""
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager may never download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-extensions",
        "--no-first-run",
        "--lang=zh-CN",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def _audit_triggers_lifted_around_flush(django_db_setup, django_db_blocker):
    """Set up before pytest-django's transactional database and torn down
    after it: the triggers are absent while Django restores the migrations'
    rows (which re-saves audit rows that exist) and recreated after its flush
    (which deletes them)."""
    from django.db import connection

    with django_db_blocker.unblock():
        audit_triggers.drop(connection)
    yield
    with django_db_blocker.unblock():
        audit_triggers.drop(connection)
        audit_triggers.create(connection)


@pytest.fixture
def transactional_db(_audit_triggers_lifted_around_flush, django_db_serialized_rollback, transactional_db):
    """pytest-django's ``transactional_db`` (the live server asks for it),
    with the migrations' rows restored and the audit log append-only while
    the test runs."""
    from django.db import connection

    audit_triggers.create(connection)
    yield
    audit_triggers.drop(connection)


@pytest.fixture
def browser(request, transactional_db, live_server, _chromium):
    """Headless Chromium on the live server, 1280×900; a screenshot when the test ends."""
    driver = _chromium
    driver.set_window_size(*DESKTOP)
    yield Browser(driver, live_server.url)
    directory = screenshot_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_") or "test"
    path = directory / f"{name}.png"
    if driver.save_screenshot(str(path)):
        _screenshots.append(path)
    driver.delete_all_cookies()  # still on the live server's origin: the next test starts without them
    driver.get("about:blank")


@pytest.fixture
def published_article(make_channel, make_delivery, full_story, photo) -> ArticlePage:
    """The full story (text, a photo with its caption, a video) published on
    the Chinese site by the real publish queue through the website channel."""
    build_renditions(photo)  # what the worker does after ingest
    delivery = settle(make_delivery(make_channel("website", url=PUBLIC_URL)))
    assert delivery.state == DeliveryState.DELIVERED, delivery.last_error
    return ArticlePage.objects.get(source_story=full_story, language="zh-hans")


@pytest.fixture
def publish_in_english(make_channel, make_delivery):
    """``publish_in_english(title, body)``: a confirmed English translation
    published on the English site by the publish queue."""

    def publish(title: str, body: str) -> ArticlePage:
        channel = make_channel("website", language="en", url=PUBLIC_URL + "en/")
        changes = {"title": title, "body": body, "data": {"translation_state": "confirmed", "images": []}}
        delivery = settle(make_delivery(channel, **changes))
        assert delivery.state == DeliveryState.DELIVERED, delivery.last_error
        return ArticlePage.objects.get(pk=delivery.external_id)

    return publish


def pytest_terminal_summary(terminalreporter):
    if _screenshots:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{len(_screenshots)} screenshot(s) of the browser tests in {screenshot_dir()}")
