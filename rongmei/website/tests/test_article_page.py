"""An article page: its text, pictures with captions as alt text, video,
dates and correction note, in semantic HTML; its body sanitised."""

import datetime as dt

import pytest
from django.utils import timezone

from rongmei.website.tests.conftest import CAPTION

pytestmark = pytest.mark.django_db


def test_an_article_renders_with_its_picture_and_video(client, article, photo, video):
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "<article" in html and f"<h1>{article.title}</h1>" in html
    assert f'<time datetime="{timezone.localtime(article.first_published_at).isoformat()}' in html
    assert f'<img src="/site-media/{photo.pk}/web" alt="{CAPTION}"' in html
    assert f"<figcaption>{CAPTION}</figcaption>" in html
    assert f'src="/site-media/{video.pk}/proxy"' in html and f'poster="/site-media/{video.pk}/poster"' in html
    assert "记者从区民政局获悉" in html


def test_the_body_is_sanitised(client, make_article):
    page = make_article(body='<p onclick="steal()">正文</p><script>alert(1)</script><a href="javascript:x()">链接</a>')
    html = client.get(page.url).content.decode()
    assert "正文" in html and "链接" in html
    assert "alert(1)" not in html and "steal()" not in html and "javascript:" not in html


def test_a_correction_shows_its_note_and_date(client, article):
    article.correction_note = "第二段中的人数有误，已更正。"
    article.corrected_at = timezone.make_aware(dt.datetime(2026, 11, 27, 9, 30))
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "更正说明" in html and "第二段中的人数有误，已更正。" in html
    assert '<time datetime="2026-11-27T09:30:00+08:00">2026-11-27</time>' in html


def test_an_unpublished_article_is_gone(client, article):
    url = article.url
    article.unpublish()
    assert client.get(url).status_code == 404
