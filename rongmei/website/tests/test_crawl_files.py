"""sitemap.xml lists the live pages of both languages and no unpublished
article; robots.txt names the sitemap and keeps crawlers out of the admin,
the API and search results."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_live_pages_and_no_unpublished_article(client, make_article):
    live = make_article(title="在线的稿件")
    gone = make_article(title="撤下的稿件")
    gone_url = gone.url
    gone.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    locations = [url.findtext(f"{SITEMAP}loc") for url in ET.fromstring(response.content)]  # noqa: S314 - our own output
    assert f"http://testserver{live.url}" in locations
    assert f"http://testserver{gone_url}" not in locations
    for path in ("/", "/news/", "/en/", "/en/news/"):
        assert f"http://testserver{path}" in locations


def test_robots_txt_names_the_sitemap(client, home):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in ("/admin/", "/api/", "/search/", "/en/search/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the pages themselves may be crawled
