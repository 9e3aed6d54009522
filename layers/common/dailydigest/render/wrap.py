"""Wrapping text by pixel width: per character in CJK (no spaces there), per word in Latin.

The measure is a callable (text -> width in pixels), so this module needs no Pillow and the
rules are testable with a fake measure. `clip` cuts by characters, for text that is not drawn.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

Measure = Callable[[str], float]

ELLIPSIS = "…"
# Closing punctuation must not start a line (kinsoku): it moves up with the character before it.
_NO_LINE_START = set("，。、；：？！）」』】》〉’”…,.;:?!)]}%")


def wrap_units(text: str) -> list[str]:
    """Breakable units: one wide (CJK) character, or a Latin word; spaces trail the unit before them."""
    units: list[str] = []
    for char in text:
        if char == " " and units:
            units[-1] += char
        elif _is_wide(char) or not units or units[-1].endswith(" ") or _is_wide(units[-1][-1]):
            units.append(char)
        else:
            units[-1] += char
    return units


def wrap(text: str, measure: Measure, width: float, max_lines: int) -> list[str]:
    """At most max_lines lines, each no wider than width; an ellipsis ends a cut-short text."""
    if max_lines < 1 or width <= 0:
        return []
    lines: list[str] = []
    current = ""
    pending = wrap_units(text)
    while pending:
        unit = pending.pop(0)
        candidate = current + unit
        if measure(candidate.rstrip()) <= width:
            current = candidate
            continue
        if not current:
            # A single word wider than the line: split it per character.
            head, tail = _split_long(unit, measure, width)
            if measure(head) > width:
                pending.insert(0, unit)
                break  # not even one character fits: stop rather than overflow
            lines.append(head)
            if tail:
                pending.insert(0, tail)
        else:
            current, carried = _kinsoku(current, unit)
            lines.append(current.rstrip())
            pending.insert(0, carried)
        current = ""
        if len(lines) == max_lines:
            break
    else:
        if current.strip():
            lines.append(current.rstrip())
        return lines[:max_lines]
    rest = "".join(pending).strip()
    if rest and lines:
        lines[-1] = fit_with_ellipsis(lines[-1], measure, width)
    return lines


def clip(text: str, limit: int) -> str:
    """At most limit characters; a cut text ends with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def fit_with_ellipsis(line: str, measure: Measure, width: float) -> str:
    """The line shortened until it and a trailing ellipsis fit the width."""
    text = line.rstrip()
    while text and measure(text + ELLIPSIS) > width:
        text = text[:-1].rstrip()
    return text + ELLIPSIS if measure(text + ELLIPSIS) <= width else ""


def _split_long(unit: str, measure: Measure, width: float) -> tuple[str, str]:
    cut = 1
    while cut < len(unit) and measure(unit[: cut + 1].rstrip()) <= width:
        cut += 1
    return unit[:cut].rstrip(), unit[cut:].lstrip()


def _kinsoku(current: str, unit: str) -> tuple[str, str]:
    """Break before `unit`; if it may not start a line, carry the previous character along."""
    if unit[:1] in _NO_LINE_START and len(current.rstrip()) > 1 and _is_wide(current.rstrip()[-1]):
        body = current.rstrip()
        return body[:-1], body[-1] + unit
    return current, unit


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")
