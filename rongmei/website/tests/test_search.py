"""Site search finds live articles of the page's language by words in
the middle of Chinese sentences (both the index and the query are
segmented by jieba), a page of results at a time, with the query escaped."""

import pytest

from rongmei.website.models import WebsiteHomePage

pytestmark = pytest.mark.django_db


def found(client, url, **params):
    html = client.get(url, params).content.decode()
    if '<ol class="article-list search-results">' not in html:
        return []
    results = html.split('<ol class="article-list search-results">', 1)[1].split("</ol>", 1)[0]
    return [part.split("</a>", 1)[0].rsplit(">", 1)[1] for part in results.split("<h2><a ")[1:]]


def test_a_word_inside_a_chinese_sentence_is_found(client, make_article):
    body = "<p>今年西城区新增十家社区养老服务驿站，预计年内全部投入使用。</p>"
    make_article(title="区里的新消息", summary="", body=body)
    make_article(title="天气预报", summary="", body="<p>明天晴，北风三级。</p>")
    assert found(client, "/search/", q="养老") == ["区里的新消息"]
    assert found(client, "/search/", q="驿站 投入使用") == ["区里的新消息"]
    assert found(client, "/search/", q="地铁") == []


def test_a_match_in_the_title_comes_first(client, make_article):
    make_article(title="老旧小区改造进展", summary="", body="<p>加装电梯。</p>")
    make_article(title="区长接待日", summary="", body="<p>居民反映老旧小区改造问题。</p>")
    assert found(client, "/search/", q="小区改造") == ["老旧小区改造进展", "区长接待日"]


def test_search_keeps_to_its_language_and_to_live_articles(client, make_article, english_news):
    make_article(title="养老驿站开放", body="<p>养老服务。</p>")
    make_article(title="养老驿站关闭", body="<p>养老服务。</p>").unpublish()
    make_article(english_news, title="Elderly care stations open", body="<p>Ten elderly care stations.</p>")
    assert found(client, "/search/", q="养老") == ["养老驿站开放"]
    assert found(client, "/en/search/", q="elderly") == ["Elderly care stations open"]
    assert found(client, "/en/search/", q="养老") == []
    assert '<html lang="en">' in client.get("/en/search/", {"q": "elderly"}).content.decode()


def test_results_come_a_page_at_a_time(client, make_article, monkeypatch):
    monkeypatch.setattr(WebsiteHomePage, "search_page_size", 1)
    make_article(title="社区食堂开业")
    make_article(title="社区医院扩建")
    first = client.get("/search/", {"q": "社区"}).content.decode()
    assert 'rel="next" href="?q=%E7%A4%BE%E5%8C%BA&amp;page=2"' in first and 'rel="prev"' not in first
    second = client.get("/search/", {"q": "社区", "page": "2"}).content.decode()
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert {*found(client, "/search/", q="社区"), *found(client, "/search/", q="社区", page="2")} == {
        "社区食堂开业",
        "社区医院扩建",
    }


def test_the_query_is_shown_escaped_and_search_pages_are_not_indexed(client, make_article):
    html = client.get("/search/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "请输入要搜索的词语" in client.get("/search/").content.decode()
