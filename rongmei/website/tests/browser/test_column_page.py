"""A visitor opens a column from the site's menu: the column lists the
article published there, and the listing leads to the article."""

from rongmei.website.models import ColumnPage


def test_the_news_column_opens_from_the_menu_and_lists_its_article(browser, published_article):
    column = ColumnPage.objects.get(language="zh-hans", kind="news")
    browser.go("/")

    browser.find(".site-nav").find_element("link text", column.title).click()

    browser.wait_for_path(column.url)
    assert browser.find("h1").text == column.title
    assert browser.find('.site-nav a[aria-current="page"]').text == column.title
    listed = [link.text for link in browser.find_all("main .article-list h2 a")]
    assert listed == [published_article.title]

    browser.link(published_article.title).click()

    browser.wait_for_path(published_article.url)
    assert browser.find("article h1").text == published_article.title
