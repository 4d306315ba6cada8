"""A visitor opens the Chinese site's home page and switches to the English site."""

from rongmei.website.models import WebsiteHomePage


def test_the_chinese_home_page_loads_and_links_to_the_english_site(browser):
    home = WebsiteHomePage.objects.get(language="zh-hans")
    browser.go("/")
    assert browser.find("html").get_attribute("lang") == "zh-Hans"
    assert home.title in browser.title
    assert browser.find("h1").text == home.title

    browser.link("English").click()

    browser.wait_for_path("/en/")
    assert browser.find("html").get_attribute("lang") == "en"
    assert browser.find("h1").text == WebsiteHomePage.objects.get(language="en").title
