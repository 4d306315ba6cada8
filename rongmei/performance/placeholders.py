"""Placeholders in the report's text blocks.

``{name}`` is replaced by the figure ``name`` (a metric key, a computed
measure, ``<metric>_yoy`` / ``<metric>_yoy_pct`` for the change on last
year, or a fact of the year such as ``year``); ``{name|filter:arg|…}``
passes it through filters, left to right:

========  =============================================  ====================
filter    what it does                                   example (value → text)
========  =============================================  ====================
``万``    ÷ 10 000, rounded to *arg* decimals (default    4794000 → ``479.4``
          2), trailing zeros dropped
``余``    down to a multiple of *arg* (default 10), and   5012 → ``5000余``
          “余” when something was dropped
``近``    up to a multiple of *arg* (default 10), with    19 → ``近20``
          “近” in front when it was raised
``dp``    exactly *arg* decimals (default 2)              3709.81 → ``3709.81``
``int``   rounded to a whole number                       99.6 → ``100``
========  =============================================  ====================

``万`` and the rounding filters combine: ``{weibo_new_followers|余:1000}``,
``{wechat_reads_yoy|万:1}``. Without a filter a number is written with at
most two decimals, trailing zeros dropped. A figure without a value reads
as its ``empty_text`` (e.g. 无预算 for a rate over a zero budget), and a “%”
written right after it is then dropped. ``{{`` and ``}}`` are literal braces.

An unknown name or filter is an error (:class:`PlaceholderError`) that
lists the valid ones, so a typo in an edited text block is caught when the
block is saved, not when the report is due.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

PATTERN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class PlaceholderError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _plain(value: Decimal, places: int = 2) -> str:
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _arg(arg: str | None, default: int) -> int:
    if arg in (None, ""):
        return default
    if not arg.isdigit():
        raise PlaceholderError(f"过滤器参数“{arg}”应为非负整数。")
    return int(arg)


def _wan(value, arg):
    return _plain(Decimal(value) / 10000, _arg(arg, 2))


def _floor(value, arg):
    step = _arg(arg, 10) or 1
    value = Decimal(value)
    down = (value / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return _plain(down, 0) + ("余" if down != value else "")


def _near(value, arg):
    step = _arg(arg, 10) or 1
    value = Decimal(value)
    up = (value / step).to_integral_value(rounding=ROUND_CEILING) * step
    return ("近" if up != value else "") + _plain(up, 0)


def _dp(value, arg):
    places = _arg(arg, 2)
    return f"{Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


def _int(value, arg):
    return _plain(Decimal(value), 0)


FILTERS = {"万": _wan, "余": _floor, "近": _near, "dp": _dp, "int": _int}


def _apply(value, filters: list[tuple[str, str | None]]) -> str:
    """Numbers flow through the filters; a filter that yields text (余, 近)
    must come last, except that 万 may be followed by 余/近 on the ÷10 000 value."""
    current = value
    for position, (name, arg) in enumerate(filters):
        if isinstance(current, str):
            try:
                current = Decimal(current)
            except ArithmeticError:
                raise PlaceholderError(f"过滤器“{name}”只能用于数字，前一个过滤器已生成文字。") from None
        text = FILTERS[name](current, arg)
        if position == len(filters) - 1:
            return text
        current = text
    return str(current)


def parse(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every placeholder of ``text`` as (name, [(filter, arg), …]); raises on bad syntax."""
    found = []
    for match in PATTERN.finditer(text or ""):
        if match.group(1) is None:
            continue
        parts = [p.strip() for p in match.group(1).split("|")]
        name, filters = parts[0], []
        if not NAME.match(name):
            raise PlaceholderError(f"占位符“{{{match.group(1)}}}”格式不正确：应为 {{名称}} 或 {{名称|过滤器:参数}}。")
        for part in parts[1:]:
            filter_name, _, arg = part.partition(":")
            if filter_name not in FILTERS:
                raise PlaceholderError(
                    f"占位符“{{{match.group(1)}}}”中的过滤器“{filter_name}”不存在；可用的过滤器：{'、'.join(FILTERS)}。"
                )
            _arg(arg or None, 0)
            filters.append((filter_name, arg or None))
        found.append((name, filters))
    return found


def check(text: str, names) -> None:
    """Raise :class:`PlaceholderError` for any unknown name (listing the valid names) or filter."""
    valid = set(names)
    unknown = sorted({name for name, _ in parse(text) if name not in valid})
    if unknown:
        raise PlaceholderError(
            f"未知的占位符：{'、'.join('{' + n + '}' for n in unknown)}。可用的占位符：{'、'.join(sorted(valid))}。"
        )


def render(text: str, values: dict) -> str:
    """``text`` with every placeholder replaced. ``values`` maps names to a
    Figure (anything with ``value`` and ``empty_text``), a number or text."""
    check(text, values.keys())
    out, position = [], 0
    for match in PATTERN.finditer(text or ""):
        out.append(text[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            out.append(token[0])
            continue
        ((name, filters),) = parse(token)
        item = values[name]
        value = getattr(item, "value", item)
        if value is None:
            out.append(getattr(item, "empty_text", "—"))
            if text[position : position + 1] in ("%", "％"):
                position += 1
            continue
        if isinstance(value, str):
            if filters:
                raise PlaceholderError(f"占位符“{{{name}}}”是文字，不能使用过滤器。")
            out.append(value)
        elif filters:
            out.append(_apply(value, filters))
        else:
            out.append(_plain(Decimal(value)))
    out.append(text[position:])
    return "".join(out)
