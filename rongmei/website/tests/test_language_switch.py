"""The language switch leads to the same page in the other language: an
article's translation (the other language's article of the same story),
the other language's column of the same kind, else the other home page."""

import pytest

from rongmei.website.tests.conftest import column_of

pytestmark = pytest.mark.django_db


def switch(html):
    """The addresses the language switch offers."""
    links = html.split('<ul class="languages"', 1)[1].split("</ul>", 1)[0]
    return [part.split('"', 1)[0] for part in links.split('href="')[1:]]


def test_an_article_links_to_its_translation_and_back(client, story, make_article, english_news):
    chinese = make_article(source_story=story)
    english = make_article(english_news, title="Ten new elderly care stations", source_story=story)
    assert switch(client.get(chinese.url).content.decode()) == [english.url]
    html = client.get(english.url).content.decode()
    assert switch(html) == [chinese.url]
    assert f'<a href="{chinese.url}" lang="zh-Hans" hreflang="zh-Hans">中文</a>' in html


def test_an_article_without_a_translation_links_to_the_other_home_page(client, make_article, english_home):
    assert switch(client.get(make_article().url).content.decode()) == [english_home.url]


def test_a_column_links_to_the_other_languages_column_of_the_same_kind(client, home, english_home):
    assert switch(client.get(column_of(home, "policy").url).content.decode()) == ["/en/policies/"]
    assert switch(client.get(column_of(english_home, "photo").url).content.decode()) == ["/photos/"]


def test_the_home_pages_link_to_each_other(client, home, english_home):
    assert switch(client.get("/").content.decode()) == ["/en/"]
    assert switch(client.get("/en/").content.decode()) == ["/"]
