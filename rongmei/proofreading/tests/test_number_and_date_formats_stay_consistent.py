"""Within one text, dates share one style and numbers of one kind share one
style; the minority is flagged with the rewritten form."""

from rongmei.proofreading.models import Rule

from .conftest import found


def test_a_date_in_another_style_than_most_is_flagged_with_the_usual_style():
    text = "2024年6月1日开幕，2024年6月3日闭幕，2024-06-02举行论坛。"
    assert found(text, Rule.INCONSISTENT_DATE_FORMAT) == [(24, 34, "2024-06-02", "2024年6月2日")]


def test_each_date_style_is_recognised_and_rewritten():
    text = "2024-06-01、2024-06-02、2024/6/3、2024.6.4、二〇二四年六月五日、6月6日"
    assert found(text, Rule.INCONSISTENT_DATE_FORMAT) == [
        (22, 30, "2024/6/3", "2024-06-03"),
        (31, 39, "2024.6.4", "2024-06-04"),
        (40, 49, "二〇二四年六月五日", "2024-06-05"),
        (50, 54, "6月6日", ""),  # no year to write it with
    ]


def test_dates_in_one_style_are_fine():
    assert found("6月1日至2024年6月30日，二〇二四年六月前", Rule.INCONSISTENT_DATE_FORMAT) == []
    assert found("2024年6月1日和2024年12月31日", Rule.INCONSISTENT_DATE_FORMAT) == []


def test_decimals_and_versions_are_not_dates():
    assert found("2024年6月1日，增长3.5个百分点，版本1.2.3", Rule.INCONSISTENT_DATE_FORMAT) == []


def test_fullwidth_digits_among_halfwidth_ones_are_flagged():
    assert found("共有120人，其中３５人是党员，50人是团员", Rule.INCONSISTENT_NUMBER_FORMAT) == [
        (9, 11, "３５", "35"),
    ]


def test_percentages_in_words_among_percentages_in_digits_are_flagged():
    text = "增长35%，其中农村增长百分之四十二点五，城镇增长12.5%"
    assert found(text, Rule.INCONSISTENT_NUMBER_FORMAT) == [(12, 20, "百分之四十二点五", "42.5%")]
    text = "百分之三十五的人和百分之一百零五的目标，另有8%"
    assert found(text, Rule.INCONSISTENT_NUMBER_FORMAT) == [(22, 24, "8%", "百分之八")]


def test_one_hundred_percent_as_an_idiom_is_not_counted():
    assert found("百分之百满意，增长35%，下降12%", Rule.INCONSISTENT_NUMBER_FORMAT) == []
