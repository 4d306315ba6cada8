"""Rich-text bodies become plain text, one line per block, with a map from
every character back to the HTML source."""

from rongmei.core.text import html_to_plain as html_to_text
from rongmei.proofreading.engine import check

from .conftest import lexicon


def test_blocks_become_lines_and_entities_are_decoded():
    html = "<h2>标题</h2>\n<p>北京&amp;西城  <b>区</b></p><ul><li>一</li><li>二</li></ul><p>甲<br/>乙&#x4e2d;</p>"
    assert html_to_text(html).text == "标题\n北京&西城 区\n一\n二\n甲\n乙中"


def test_scripts_and_styles_are_not_text():
    assert html_to_text("<p>正文</p><script>var a = '的的';</script><style>p{}</style>").text == "正文"


def test_hit_offsets_map_back_to_the_html_source():
    html = '<p>据报道，<a href="/x">台湾&nbsp;政府</a>称</p><p>台湾政府</p>'
    plain = html_to_text(html)
    hits = check(plain.text, lexicon=lexicon(("forbidden", "台湾政府", "台湾当局", "blocking")))
    assert [(hit.start, hit.end) for hit in hits] == [(11, 15)]
    start, end = plain.html_span(hits[0].start, hits[0].end)
    assert html[start:end] == "台湾政府"
    word = plain.text.index("台湾\xa0政府")
    start, end = plain.html_span(word, word + 5)
    assert html[start:end] == "台湾&nbsp;政府"
