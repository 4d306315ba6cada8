"""Chinese search over stories (rongmei.core.search): segmented, ranked, filtered."""

from rongmei.core import roles
from rongmei.core.search import search
from rongmei.stories import actions
from rongmei.stories.models import Category, Story


def file(newsroom, title, body="", category="民生", keywords=()):
    return actions.create_story(
        author=newsroom[roles.REPORTER],
        title=title,
        body=f"<p>{body}</p>",
        category=Category.objects.get(name=category),
        keywords=list(keywords),
    )


def titles(queryset, query, **kwargs):
    return [story.title for story in search(queryset, query, **kwargs)]


def test_a_title_hit_ranks_above_body_hits(newsroom):
    file(newsroom, "社区食堂开张", "食堂为老人提供午餐，也提供养老咨询。")
    file(newsroom, "养老驿站扩容", "驿站新增床位。")
    assert titles(Story.objects.all(), "养老") == ["养老驿站扩容", "社区食堂开张"]


def test_words_inside_longer_words_and_keywords_are_found(newsroom):
    file(newsroom, "区融媒体中心发布年度报告")
    file(newsroom, "胡同里的新变化", keywords=["背街小巷"])
    assert titles(Story.objects.all(), "融媒体") == ["区融媒体中心发布年度报告"]
    assert titles(Story.objects.all(), "背街小巷") == ["胡同里的新变化"]


def test_every_word_of_the_query_must_match(newsroom):
    file(newsroom, "什刹海冰场开放", "冰场迎来市民。")
    file(newsroom, "什刹海荷花盛开", "游客赏荷。")
    assert titles(Story.objects.all(), "什刹海 冰场") == ["什刹海冰场开放"]


def test_search_respects_the_querysets_filters_and_pages(newsroom):
    for number in range(5):
        file(newsroom, f"垃圾分类新进展（{number}）", category="城市管理")
    file(newsroom, "垃圾分类知识进校园", category="文化")
    culture = Story.objects.filter(category__name="文化")
    assert titles(culture, "垃圾分类") == ["垃圾分类知识进校园"]
    first, second = (
        search(Story.objects.all(), "垃圾分类", limit=3),
        search(Story.objects.all(), "垃圾分类", limit=3, offset=3),
    )
    assert len(first) == 3 and len(second) == 3
    assert not {s.pk for s in first} & {s.pk for s in second}


def test_a_query_without_words_finds_nothing(newsroom):
    file(newsroom, "标点")
    assert search(Story.objects.all(), "，。！") == []
