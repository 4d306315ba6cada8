"""A visitor searches the Chinese site from the search box in the header:
a word of the article (segmented as Chinese) finds it, a word of no
article finds nothing."""


def search(browser, words: str) -> None:
    box = browser.find("header input[type=search]")
    box.clear()
    with browser.loads_a_page():
        box.send_keys(words + "\n")  # typed, then Enter
    assert browser.path == "/search/"


def test_a_word_of_the_article_finds_it_and_opens_it(browser, published_article):
    browser.go("/")

    search(browser, "养老")

    results = [link.text for link in browser.find_all("main .search-results h2 a")]
    assert results == [published_article.title]
    assert browser.find("main input[type=search]").get_attribute("value") == "养老"

    search(browser, "航天")

    assert browser.find_all("main .search-results h2 a") == []

    search(browser, "养老服务")
    browser.link(published_article.title).click()
    browser.wait_for_path(published_article.url)
