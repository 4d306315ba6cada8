"""Chinese search over stories (rongmei.core.search): segmented, ranked, filtered."""

from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.search.backends import get_search_backend

from rongmei.core import roles
from rongmei.core import search as search_module
from rongmei.core.search import match_terms, query_terms, search
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


def test_every_title_match_ranks_above_every_body_match(newsroom):
    file(newsroom, "街道召开工作会", "养老" * 3 + "，养老驿站、养老餐桌、养老顾问。")
    file(newsroom, "养老驿站扩容", "驿站新增床位。")
    assert titles(Story.objects.all(), "养老") == ["养老驿站扩容", "街道召开工作会"]


def test_parts_of_a_query_word_are_not_required_twice():
    assert match_terms(query_terms("养老服务")) == ["养老服务"]
    assert match_terms(query_terms("融媒体")) == ["融媒体"]
    assert match_terms(["养老", "服务"]) == ["养老", "服务"]


def test_a_long_word_needs_the_whole_word(newsroom):
    file(newsroom, "社区养老服务中心开放")
    file(newsroom, "养老金调整", "政务服务大厅延长时间。")
    assert titles(Story.objects.all(), "养老服务") == ["社区养老服务中心开放"]


def test_beyond_the_window_older_matches_follow_newest_first(newsroom, monkeypatch):
    monkeypatch.setattr(search_module, "WINDOW", 3)
    file(newsroom, "会议纪要（0）", "养老，养老，养老，养老：会上讨论养老问题。")
    file(newsroom, "会议纪要（1）", "会上讨论养老问题。")
    file(newsroom, "养老驿站扩容", "驿站新增床位。")
    file(newsroom, "会议纪要（2）", "会上讨论养老问题。")
    file(newsroom, "会议纪要（3）", "养老，养老，养老，养老：会上讨论养老问题。")
    file(newsroom, "会议纪要（4）", "会上讨论养老问题。")
    # The title match first, however old; then the newest three of the
    # others by relevance (equals newest first); then the rest newest first,
    # the most relevant of all (0) included.
    assert titles(Story.objects.all(), "养老") == [
        "养老驿站扩容",
        "会议纪要（3）",
        "会议纪要（4）",
        "会议纪要（2）",
        "会议纪要（1）",
        "会议纪要（0）",
    ]


def test_every_title_match_comes_first_however_many(newsroom, monkeypatch):
    monkeypatch.setattr(search_module, "WINDOW", 2)
    file(newsroom, "街道工作会", "会上讨论养老问题。")
    for number in range(5):
        file(newsroom, f"养老驿站（{number}）")
    found = titles(Story.objects.all(), "养老")
    assert sorted(found[:5]) == [f"养老驿站（{number}）" for number in range(5)]
    assert found[5:] == ["街道工作会"]


def test_a_filtered_search_finds_matches_beyond_the_window(newsroom, monkeypatch):
    monkeypatch.setattr(search_module, "WINDOW", 2)
    file(newsroom, "文化活动（0）", "活动介绍养老知识。", category="文化")
    for number in range(4):
        file(newsroom, f"街道工作会（{number}）", "会上讨论养老问题。")
    culture = Story.objects.filter(category__name="文化")
    assert titles(culture, "养老") == ["文化活动（0）"]


def test_pages_run_on_from_title_matches_to_body_matches(newsroom, monkeypatch):
    monkeypatch.setattr(search_module, "FIRST_BATCH", 1)
    monkeypatch.setattr(search_module, "WINDOW", 2)
    for number in range(3):
        file(newsroom, f"垃圾分类（{number}）")
    for number in range(3):
        file(newsroom, f"街道工作会（{number}）", "推进垃圾分类。")
    pages = [titles(Story.objects.all(), "垃圾分类", limit=2, offset=offset) for offset in (0, 2, 4, 6)]
    assert [len(page) for page in pages] == [2, 2, 2, 0]
    flat = [title for page in pages for title in page]
    assert len(set(flat)) == 6
    assert all(title.startswith("垃圾分类") for title in flat[:3])


def test_a_selective_filter_reads_on_through_the_ranked_matches(newsroom, monkeypatch):
    monkeypatch.setattr(search_module, "FIRST_BATCH", 1)
    for number in range(6):
        file(newsroom, f"垃圾分类新进展（{number}）", category="城市管理")
    file(newsroom, "垃圾分类知识进校园", category="文化")
    file(newsroom, "校园开放日", "介绍垃圾分类。", category="文化")
    culture = Story.objects.filter(category__name="文化")
    assert titles(culture, "垃圾分类") == ["垃圾分类知识进校园", "校园开放日"]


def test_other_models_in_the_index_are_not_taken_for_stories(newsroom):
    story = file(newsroom, "胡同里的新变化", "居民议事。")
    document = Document.objects.create(title="什刹海冰场开放", file=ContentFile(b"x", name="x.txt"))
    if document.pk != story.pk:
        Document.objects.filter(pk=document.pk).update(id=story.pk)
        document = Document.objects.get(pk=story.pk)
    get_search_backend().add(document)
    assert search(Story.objects.all(), "冰场") == []


def test_the_querysets_related_objects_come_along(newsroom, django_assert_max_num_queries):
    file(newsroom, "什刹海冰场开放", "冰场迎来市民。")
    stories = Story.objects.select_related("category")
    found = search(stories, "冰场")
    with django_assert_max_num_queries(0):
        assert found[0].category.name == "民生"


def test_an_empty_queryset_finds_nothing(newsroom):
    file(newsroom, "垃圾分类知识进校园")
    assert search(Story.objects.none(), "垃圾分类") == []


def test_english_words_and_stop_words_in_a_query(newsroom):
    file(newsroom, "The 5G network reaches every 社区")
    assert titles(Story.objects.all(), "the 5G 社区") == ["The 5G network reaches every 社区"]
    assert titles(Story.objects.all(), "5g") == ["The 5G network reaches every 社区"]
