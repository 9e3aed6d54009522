"""Making digest text safe to place in the post, and exactly reversible for the parser.

Digest text comes from web pages and an LLM, so treat it as hostile:
- every field is one line (a newline could start a heading or end the front matter);
- `<` becomes `&lt;` so no raw HTML reaches the page;
- `{` becomes `&#123;` so Jekyll's Liquid (`{{`, `{%`) and kramdown's `{:` attributes stay inert;
- in link destinations `{`, `}`, `|` and a stray `%` are percent-encoded (the same URL to a browser),
  because Liquid reads a post's links too: `?q={%evil%}` would break the whole blog's build;
- in Markdown, `\\`, `[`, `]` and `|` are backslash-escaped (no injected links, and no line that
  kramdown reads as a table row), and a leading block
  marker (`#`, `-`, `1.`, `>` ...) is escaped so a field cannot become a heading or a list.
`&` is escaped only where it would read as one of our entities, so `unescape_*` inverts exactly.

Front matter values need no Liquid escape: Jekyll never evaluates Liquid in front matter (only a
layout prints them, as data), and an entity there would show as `&#123;` wherever a theme
escapes the value (Chirpy's alt text does). The Jekyll end-to-end tests build both to prove it.
"""

from __future__ import annotations

import re

_ENTITIES = {"lt": "<", "#123": "{", "#126": "~", "amp": "&"}
_AMBIGUOUS_AMP = re.compile(r"&(?=(?:lt|#123|#126|amp);)")
_LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")
_MD_SPECIAL = re.compile(r"([\\\[\]|])")
# Characters that open a block at the start of a line (kramdown and CommonMark).
_LEADING_MARKER = re.compile(r"^([#>*+\-=|:`_])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")
_MD_UNESCAPE = re.compile(r"\\([\\\[\]#>*+\-=|:`_.)])|&(lt|#123|#126|amp);")
_HTML_UNESCAPE = re.compile(r"&(lt|#123|#126|amp);")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# What a link destination must not carry as is: what ends the link (`)`, space), opens HTML (`<`),
# opens Liquid (`{{`, `{%`) or makes kramdown read the line as a table row (`|`). Each is replaced
# by its percent-encoding, which browsers treat alike.
_URL_CODES = {"(": "%28", ")": "%29", " ": "%20", "<": "%3C", ">": "%3E", "{": "%7B", "}": "%7D", "|": "%7C"}


def one_line(text: str) -> str:
    """Collapse any line break (and the space around it) to one space; drop control characters."""
    return _LINE_BREAKS.sub(" ", _CONTROL.sub("", text)).strip()


def escape_html(text: str) -> str:
    """One line with raw HTML neutralised: for front matter values."""
    return _AMBIGUOUS_AMP.sub("&amp;", one_line(text)).replace("<", "&lt;")


def escape_markdown(text: str) -> str:
    """One line of Markdown that renders as the literal text and cannot open a block."""
    text = escape_html(text).replace("{", "&#123;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text.startswith("~"):  # a kramdown code fence; `\~` is not a kramdown escape
        return "&#126;" + text[1:]
    text = _LEADING_MARKER.sub(r"\\\1", text)
    return _LEADING_NUMBER.sub(r"\1\\\2", text)


def escape_url(url: str) -> str:
    """A link destination that cannot close the Markdown link early nor open a Liquid tag.

    A `%` that starts no percent-escape becomes `%25` first (what a browser sends for it), so the
    encodings added here are the only new `%` and an existing `%7B` is left as it was.
    """
    url = _STRAY_PERCENT.sub("%25", url)
    return "".join(_URL_CODES.get(char, char) for char in url)


def unescape_html(text: str) -> str:
    return _HTML_UNESCAPE.sub(lambda match: _ENTITIES[match.group(1)], text)


def unescape_markdown(text: str) -> str:
    def _one(match: re.Match[str]) -> str:
        return match.group(1) if match.group(1) is not None else _ENTITIES[match.group(2)]

    return _MD_UNESCAPE.sub(_one, text)
