"""On a phone's narrow screen the home page, a column and an article fit
the width: nothing makes the visitor scroll sideways."""

from rongmei.website.models import ColumnPage


def test_the_home_page_a_column_and_an_article_fit_a_phone(browser, published_article):
    column = ColumnPage.objects.get(language="zh-hans", kind="news")
    browser.as_phone()
    for path in ("/", column.url, published_article.url):
        browser.go(path)
        assert browser.execute_script("return window.innerWidth") <= 400
        assert browser.horizontal_overflow == 0, f"{path} is wider than a phone's screen"
        assert browser.find("h1").is_displayed()
