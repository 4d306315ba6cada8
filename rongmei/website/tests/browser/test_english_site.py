"""A visitor reads the English site: its home page lists an English
article published through the queue, the article opens in English, and
the language switch leads back to the Chinese site."""


def test_an_english_article_opens_from_the_english_home_page(browser, publish_in_english):
    article = publish_in_english("Ten new elderly care stations in Xicheng", "<p>Ten stations open this year.</p>")
    browser.go("/en/")
    assert browser.find("html").get_attribute("lang") == "en"

    browser.link("Ten new elderly care stations in Xicheng").click()

    browser.wait_for_path(article.url)
    assert browser.find("html").get_attribute("lang") == "en"
    assert browser.find("article h1").text == "Ten new elderly care stations in Xicheng"
    assert "Ten stations open this year." in browser.find("article").text

    browser.link("中文").click()

    browser.wait_for_path("/")
    assert browser.find("html").get_attribute("lang") == "zh-Hans"
