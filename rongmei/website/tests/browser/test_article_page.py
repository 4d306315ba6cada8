"""A story published through the publish queue is read on the website:
reached from the home page, with its text, its picture and the caption."""


def test_a_published_story_opens_from_the_home_page_with_its_picture_and_caption(browser, published_article):
    caption = published_article.images.get().caption
    browser.go("/")

    browser.link(published_article.title).click()

    browser.wait_for_path(published_article.url)
    assert browser.find("html").get_attribute("lang") == "zh-Hans"
    assert browser.find("article h1").text == published_article.title
    assert "记者从区民政局获悉" in browser.find("article").text
    picture = browser.find(f'article figure img[alt="{caption}"]')
    assert browser.image_loaded(picture)
    assert picture.find_element("xpath", "./ancestor::figure//figcaption").text == caption
