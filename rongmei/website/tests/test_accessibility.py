"""Every kind of page is semantic HTML in its language: one h1, a skip
link to the main content first, named landmarks, pictures with their
captions as alt text; the style sheet's colours have enough contrast and
keyboard focus is visible."""

import re
from pathlib import Path

import pytest

from rongmei.website.tests.conftest import CAPTION, column_of

pytestmark = pytest.mark.django_db
CSS = Path(__file__).resolve().parents[1] / "static" / "website" / "site.css"


@pytest.fixture
def pages(home, article, make_article, photo):
    """The address of each kind of page, with a picture in the photo column."""
    make_article(column_of(home, "photo"), title="图片新闻稿件", images=[(photo, CAPTION)])
    return ["/", "/news/", "/photos/", article.url, "/search/?q=养老", "/no-such-page/", "/en/", "/en/news/"]


def test_every_page_has_its_language_one_h1_a_skip_link_and_landmarks(client, pages):
    for url in pages:
        html = client.get(url).content.decode()
        assert re.search(r'<html lang="(zh-Hans|en)">', html), url
        assert html.count("<h1") == 1, url
        body = html.split("<body>", 1)[1]
        assert body.lstrip().startswith('<a class="skip-link" href="#main">'), url
        assert '<main id="main"' in html and "<header" in html and "<footer" in html, url
        assert re.search(r'<nav class="site-nav" aria-label="[^"]+">', html), url
        assert '<label for="site-search-q">' in html, url


def test_pictures_have_their_captions_as_alt_text(client, pages):
    for url in pages:
        for img in re.findall(r"<img\b[^>]*>", client.get(url).content.decode()):
            assert f'alt="{CAPTION}"' in img, (url, img)
    assert f'alt="{CAPTION}"' in client.get("/photos/").content.decode()


def colours():
    return dict(re.findall(r"--([a-z-]+):(#[0-9a-f]{6})", CSS.read_text()))


def contrast(one, other):
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("text", "bg"),
        ("muted", "bg"),
        ("link", "bg"),
        ("accent", "bg"),
        ("on-accent", "accent"),
        ("text", "soft"),
        ("muted", "soft"),
        ("link", "soft"),
        ("text", "focus-bg"),
    ],
)
def test_text_colours_have_a_contrast_of_at_least_4_5_to_1(text, background):
    palette = colours()
    assert contrast(palette[text], palette[background]) >= 4.5


def test_keyboard_focus_is_visible_and_the_layout_is_mobile_first(client):
    css = CSS.read_text()
    assert re.search(r":focus-visible\{outline:3px solid", css)
    assert ".skip-link:focus{top:" in css
    assert "@media (min-width:" in css and "@media (max-width:" not in css
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in client.get("/").content.decode()
