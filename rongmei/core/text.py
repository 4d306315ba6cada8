"""Small helpers for Chinese text."""

import unicodedata


def is_cjk(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH") for ch in text)


def join_name(family: str, given: str) -> str:
    """A person's full name: 李明 for Chinese names, "Ming Li" otherwise."""
    family, given = family.strip(), given.strip()
    if is_cjk(family + given):
        return f"{family}{given}"
    return " ".join(part for part in (given, family) if part)
