"""Classification: the keyword lexicon, grade rules (safety words,
repeats, a surge against the trailing average), sensitive words, and the
trained classifier that takes over only when it is more accurate."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from rongmei.interaction import intake, training
from rongmei.interaction.classify import Grader, Lexicon, crossing_words, kept_as_word, sensitive_terms
from rongmei.interaction.models import ClassifierRun, GradeRule, InboxCategory, Item
from rongmei.interaction.tests.conftest import incoming
from rongmei.proofreading.models import LexiconEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("社区养老驿站能不能增加送餐上门？", "养老"),
        ("孩子幼儿园入学的事想了解一下", "教育"),
        ("社区卫生服务中心挂号太难", "医疗"),
        ("老旧小区加装电梯什么时候开始", "住房"),
        ("地铁站出口共享单车太多，公交站也挤", "交通"),
        ("楼下餐馆油烟太大", "环境"),
        ("胡同里有人占道经营", "城市管理"),
        ("拖欠工资三个月了怎么办", "就业"),
        ("图书馆的展览很好看", "文化"),
        ("感谢社区工作人员，辛苦了", "表扬"),
        ("今天天气不错", "其他"),
    ],
)
def test_the_lexicon_puts_each_text_in_its_category(text, category):
    found, topic = Lexicon.load().classify(text)
    assert found.name == category
    assert topic


def test_a_keyword_counts_only_where_jieba_keeps_it_as_a_word():
    lexicon = Lexicon.load()
    assert "路灯" in lexicon.matches("小区路灯坏了")
    assert "路灯" not in lexicon.matches("马路灯光很亮")  # 马路 | 灯光
    assert "医院" in lexicon.matches("去医院看病")
    assert "医院" not in lexicon.matches("宠物送去兽医院")  # 兽医院 is one word


def test_the_crossing_words_are_the_dictionary_words_that_overlap_a_keyword_edge():
    from rongmei.interaction.classify import _dictionary

    automaton = crossing_words({"路灯", "医院"})
    assert {"马路", "灯光", "兽医", "兽医院", "院长"} <= set(automaton.keys())

    # Against the definition, word by word, over a slice of the dictionary.
    def crosses(word, keyword):
        for offset in range(-len(word) + 1, len(keyword)):  # the word's start, relative to the keyword's
            a, b = offset, offset + len(word)
            overlap = range(max(a, 0), min(b, len(keyword)))
            if len(overlap) and (a < 0 or b > len(keyword)):
                if all(word[i - a] == keyword[i] for i in overlap):
                    return True
        return False

    sample = [w for w, n in list(_dictionary().items())[::50] if n and len(w) > 1]
    for word in sample:
        assert (word in automaton) == (crosses(word, "路灯") or crosses(word, "医院")), word


def test_kept_as_word_follows_jiebas_own_cut():
    from rongmei.core.text import tokenizer

    texts = [
        "德胜门内大街的路灯坏了好几天了",
        "学校门口放学时车辆拥堵",
        "健身器材坏了",
        "宠物送去兽医院",
        "感谢街道工作人员",
    ]
    for text in texts:
        start = 0
        for word in tokenizer().lcut(text, HMM=False):
            stop = start + len(word)
            assert kept_as_word(text, start, stop), (text, word)
            if stop < len(text):
                assert not kept_as_word(text, start, stop + 1), (text, text[start : stop + 1])
            start = stop


def test_an_edited_category_list_is_used():
    InboxCategory.objects.create(name="宠物", keywords="遛狗 狗狗 养犬 宠物", sort_order=0)
    assert Lexicon.load().classify("小区里遛狗不拴绳")[0].name == "宠物"


def graded(*texts, author="", source="weibo", hours_ago=1.0):
    start = Item.objects.count()
    intake.ingest(
        [incoming(start + n, content=t, author=author, source=source, hours_ago=hours_ago) for n, t in enumerate(texts)]
    )
    return list(Item.objects.order_by("pk")[start:])


def test_risk_to_life_is_urgent_and_safety_is_important():
    urgent, important, normal = graded("楼下着火了，有人被困！", "电动车飞线充电有安全隐患", "图书馆开放时间是几点")
    assert urgent.grade == "urgent" and "着火" in urgent.grade_reasons[0]
    assert important.grade == "important" and normal.grade == "normal"
    assert urgent.first_response_due == urgent.posted_at + dt.timedelta(hours=2)


def test_repeated_complaints_by_one_author_are_important():
    items = graded("楼道灯不亮", "楼道灯还是不亮", "楼道灯到底什么时候修", author="老刘")
    assert [i.grade for i in items] == ["normal", "normal", "important"]
    assert "老刘" in items[2].grade_reasons[0]
    # Another platform's 老刘 is someone else.
    assert graded("楼道灯不亮", author="老刘", source="wechat")[0].grade == "normal"


def test_a_surge_on_one_topic_against_its_trailing_average():
    GradeRule.objects.exclude(kind=GradeRule.Kind.SURGE).update(is_active=False)
    rule = GradeRule.objects.get(kind=GradeRule.Kind.SURGE)  # 8 in an hour and 4x the hourly average of 24 h
    now = timezone.now()
    # A steady trickle the day before: 1 an hour on 路灯.
    intake.ingest([incoming(100 + h, content="路灯不亮", hours_ago=1.5 + h) for h in range(24)])
    assert not Item.objects.filter(grade="urgent").exists()
    burst = [incoming(200 + n, content="路灯不亮了", hours_ago=0.9 - n * 0.1) for n in range(rule.threshold)]
    intake.ingest(burst)
    last = Item.objects.get(external_id=f"t-{200 + rule.threshold - 1}")
    assert last.grade == "urgent" and "一小时" in last.grade_reasons[0]
    # The same burst over a busy trailing day is no surge.
    Item.objects.all().delete()
    intake.ingest([incoming(300 + h, content="路灯不亮", hours_ago=1.5 + h / 4) for h in range(96)])
    intake.ingest([incoming(500 + n, content="路灯不亮了", hours_ago=0.9 - n * 0.1) for n in range(rule.threshold)])
    assert not Item.objects.filter(grade="urgent").exists()
    assert now


def test_grader_counts_in_memory_with_two_queries(django_assert_max_num_queries):
    items = [
        Item(source="weibo", external_id=str(n), content="路灯不亮", author="a", topic="路灯", posted_at=timezone.now())
        for n in range(500)
    ]
    grader = Grader()
    with django_assert_max_num_queries(2):
        grader.preload(items)
        for item in items:
            grader.grade(item)


def test_sensitive_and_abusive_words_are_flagged():
    LexiconEntry.objects.create(kind="forbidden", term="某禁词", severity="blocking")
    assert sensitive_terms("这里有某禁词") == ["某禁词"]
    flagged, clean = graded("你们这些狗官，路灯都修不好", "路灯修好了，谢谢")
    assert flagged.flagged and "狗官" in flagged.flagged_terms
    assert not clean.flagged


def corrected_set(n_per_category=40, seed=1):
    """Generated hand-corrected items: phrases of each category the lexicon
    partly misses (words not in its keyword lists), mixed with filler."""
    vocab = {
        "养老": ["助浴", "日间照料", "老人家", "银发", "陪护"],
        "教育": ["作业", "考试", "班主任", "放学", "开学"],
        "医疗": ["发烧", "输液", "大夫", "住院", "核酸"],
        "住房": ["业主", "楼顶", "房东", "租客", "墙皮"],
        "交通": ["开车", "司机", "红灯", "限速", "公交车"],
        "环境": ["臭水", "烟尘", "雾霾", "绿地", "野草"],
    }
    filler = ["我们", "这里", "最近", "一直", "希望", "尽快", "处理", "一下", "真的", "问题"]
    rng = random.Random(seed)
    rows = []
    for name, words in vocab.items():
        for _ in range(n_per_category):
            parts = rng.sample(words, 2) + rng.sample(filler, 3)
            rng.shuffle(parts)
            rows.append(("".join(parts), name))
    return rows


def test_the_classifier_trains_on_corrections_reports_accuracy_and_takes_over(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.INTERACTION_CLASSIFIER_MIN_CORRECTIONS = 200
    rows = corrected_set()
    assert training.train() is None  # nothing corrected yet
    categories = {c.name: c for c in InboxCategory.objects.all()}
    intake.ingest([incoming(n, content=text) for n, (text, _label) in enumerate(rows)])
    for n, (_text, label) in enumerate(rows):
        Item.objects.filter(external_id=f"t-{n}").update(category=categories[label], category_by="person")
    run = training.train()
    assert run.test_size > 0 and run.train_size + run.test_size == len(rows)
    assert run.lexicon_accuracy is not None and run.model_accuracy is not None
    assert run.model_accuracy > run.lexicon_accuracy and run.in_use
    assert (tmp_path / "interaction" / run.model_file).exists()
    # New items are now classified by the model.
    intake.ingest([incoming(9999, content="班主任说开学要考试")])
    item = Item.objects.get(external_id="t-9999")
    assert (item.category.name, item.category_by) == ("教育", "model")


def test_a_classifier_no_better_than_the_lexicon_is_not_used(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.INTERACTION_CLASSIFIER_MIN_CORRECTIONS = 10
    # Corrections that merely confirm what the lexicon said: the model cannot beat it.
    texts = ["社区养老驿站", "幼儿园入学", "社区卫生服务中心挂号", "老旧小区加装电梯", "图书馆展览"] * 4
    intake.ingest([incoming(n, content=f"{text}{n}") for n, text in enumerate(texts)])
    Item.objects.update(category_by="person")
    run = training.train()
    assert run.lexicon_accuracy == 1.0 and not run.in_use
    assert not ClassifierRun.objects.filter(in_use=True).exists()


def test_the_command_reports_both_accuracies(settings, tmp_path):
    import io

    from django.core.management import call_command

    settings.DATA_DIR = tmp_path
    categories = {c.name: c for c in InboxCategory.objects.all()}
    rows = corrected_set(n_per_category=10)
    intake.ingest([incoming(n, content=text) for n, (text, _label) in enumerate(rows)])
    for n, (_text, label) in enumerate(rows):
        Item.objects.filter(external_id=f"t-{n}").update(category=categories[label], category_by="person")
    out = io.StringIO()
    call_command("inbox_classifier", "--train", stdout=out)
    assert "not trained" in out.getvalue()  # 60 corrected, 200 needed
    out = io.StringIO()
    call_command("inbox_classifier", "--train", "--force", stdout=out)
    run = ClassifierRun.objects.get()
    assert f"lexicon accuracy: {run.lexicon_accuracy * 100:.1f}%" in out.getvalue()
    assert f"model accuracy:   {run.model_accuracy * 100:.1f}%" in out.getvalue()
