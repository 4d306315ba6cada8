"""Each home page has its columns (栏目): made by the migration, listed on
the home page in the page tree's order when shown there, with the
headline above them."""

import pytest

from rongmei.website.tests.conftest import column_of

pytestmark = pytest.mark.django_db

CHINESE = [
    ("news", "要闻动态", "news"),
    ("notice", "通知公告", "notices"),
    ("policy", "政策文件", "policies"),
    ("topic", "专题专栏", "topics"),
    ("photo", "图片新闻", "photos"),
    ("video", "视频新闻", "videos"),
    ("interaction", "互动交流", "interact"),
]
ENGLISH = ["News", "Notices", "Policies", "Special Topics", "Photos", "Videos", "Interaction"]


def section(html, column):
    """The home page's section of ``column``."""
    return html.split(f'aria-labelledby="column-{column.pk}"', 1)[1].split("</section>", 1)[0]


def test_each_home_page_starts_with_the_seven_columns(home, english_home):
    assert [(c.kind, c.title, c.slug) for c in home.columns()] == CHINESE
    assert [c.title for c in english_home.columns()] == ENGLISH
    assert [c.kind for c in english_home.columns()] == [kind for kind, _title, _slug in CHINESE]
    assert {c.language for c in english_home.columns()} == {"en"}
    assert all(c.live and c.show_on_home and c.show_in_menus for c in home.columns())


def test_the_home_page_shows_each_columns_latest_articles_in_the_trees_order(client, home, make_article):
    news, notices = column_of(home, "news"), column_of(home, "notice")
    story = make_article(title="区政府召开常务会议")
    notice = make_article(notices, title="关于春节假期安排的通知")
    html = client.get("/").content.decode()
    assert html.index(f'id="column-{news.pk}"') < html.index(f'id="column-{notices.pk}"')
    assert story.title in section(html, news) and notice.title not in section(html, news)
    assert notice.title in section(html, notices)
    assert f'href="{notices.url}"' in section(html, notices)


def test_the_list_of_columns_on_the_home_page_is_edited_in_the_page_tree(client, home):
    news, notices, policies = (column_of(home, kind) for kind in ("news", "notice", "policy"))
    policies.show_on_home = False
    policies.save_revision().publish()
    notices.move(news, pos="left")  # an editor drags 通知公告 before 要闻动态
    html = client.get("/").content.decode()
    assert f'id="column-{policies.pk}"' not in html
    assert html.index(f'id="column-{notices.pk}"') < html.index(f'id="column-{news.pk}"')


def test_a_column_shows_only_as_many_articles_on_the_home_page_as_it_is_set_to(client, home, news, make_article):
    news.home_items = 2
    news.save_revision().publish()
    oldest, middle, newest = (make_article(title=f"第{n}篇稿件") for n in "一二三")
    shown = section(client.get("/").content.decode(), news)
    assert newest.title in shown and middle.title in shown and oldest.title not in shown


def test_the_headline_is_the_newest_article_marked_so(client, make_article):
    marked = make_article(title="头条：全区经济社会发展稳中有进", headline=True)
    make_article(title="一般稿件")
    headline = client.get("/").content.decode().split('<section class="headline"', 1)[1].split("</section>")[0]
    assert marked.title in headline and "一般稿件" not in headline


def test_without_a_marked_headline_the_newest_article_leads(client, make_article):
    make_article(title="较早的稿件")
    make_article(title="最新的稿件")
    headline = client.get("/").content.decode().split('<section class="headline"', 1)[1].split("</section>")[0]
    assert "最新的稿件" in headline and "较早的稿件" not in headline
