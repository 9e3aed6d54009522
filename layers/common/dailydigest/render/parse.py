"""Post text -> Digest: the inverse of render_post, for posts in the reference's format.

Strict on structure (clear PostFormatError with a line number), lenient on the optional
two-space line breaks. Citations are not in the post, so highlights come back without source ids.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from dailydigest.errors import PostFormatError, describe_validation_error
from dailydigest.models.digest import FIXED_TAGS, Digest
from dailydigest.render.escape import unescape_html, unescape_markdown
from dailydigest.render.locale import STRINGS, LocaleStrings, pattern_regex
from dailydigest.store.keys import image_path

FRONT_MATTER_KEYS = (
    "layout",
    "title",
    "tagline",
    "date",
    "model",
    "categories",
    "tags",
    "image",
    "ai_summary",
)
_HIGHLIGHT = re.compile(r"^(\d+)\) (.+)$")
_SOURCE = re.compile(r"^- \[((?:\\.|[^\\\]])+)\]\((\S+)\)$")
# The reference ends with a stray `**` line, an artifact of its generator; tolerate only that.
_TRAILING_ARTIFACT = re.compile(r"^\*+$")


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


def parse_post(text: str) -> Digest:
    """Parse a post shaped like the reference back into a Digest; PostFormatError if it is not."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    meta, body = _split_front_matter(lines)
    strings, name = _detect_locale(meta)
    sections, footer = _split_sections(body, strings)
    sources = _sources(sections[5], strings)
    generator = _footer_generator(footer, strings, len(sources))
    _check_tagline(meta["tagline"], strings, name, len(sources))
    highlights = _highlights(sections[1], strings)
    analysis = _labelled_paragraphs(sections[2], strings.analysis_labels, strings.analysis)
    implications = _implications(sections[4], strings)
    fields: dict[str, Any] = {
        "topic": meta["model"],
        "display_name": name,
        "date": meta["date"],
        "locale": strings.code,
        "trend_overview": _single_paragraph(sections[0], strings.trend),
        "highlights": highlights,
        "analysis": dict(zip(("significance", "comparison", "market_impact"), analysis, strict=True)),
        "key_points": _bullets(sections[3], "- ", strings.key_points),
        "implications": implications,
        "tags": _own_tags(meta["tags"], name),
        "ai_summary": meta["ai_summary"],
        "sources": sources,
        "generator": generator,
    }
    try:
        return Digest.model_validate(fields)
    except ValidationError as exc:
        raise PostFormatError(f"post: {describe_validation_error(exc)}") from None


def _fail(line: _Line | None, message: str) -> PostFormatError:
    where = f"post line {line.number}" if line else "post"
    return PostFormatError(f"{where}: {message}")


def _split_front_matter(lines: list[str]) -> tuple[dict[str, Any], list[_Line]]:
    if not lines or lines[0] != "---":
        raise PostFormatError("post: must start with a '---' front matter line")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise PostFormatError("post: front matter is not closed by a '---' line") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0]
        raise PostFormatError(f"post: front matter is not valid YAML ({first})") from None
    body = [_Line(number, text) for number, text in enumerate(lines[end + 1 :], start=end + 2)]
    return _check_meta(meta), body


def _check_meta(meta: object) -> dict[str, Any]:
    if not isinstance(meta, dict):
        raise PostFormatError("post: front matter must be a mapping")
    missing = [key for key in FRONT_MATTER_KEYS if key not in meta]
    if missing:
        raise PostFormatError(f"post: front matter lacks {', '.join(missing)}")
    if isinstance(meta["image"], dict):
        # The {path, alt} form carries the infographic's alt text; the reference's plain path has none.
        image = meta["image"]
        if not isinstance(image.get("path"), str) or not isinstance(image.get("alt", ""), str):
            raise PostFormatError("post: front matter image must be a path or {path, alt}")
        meta = {**meta, "image": image["path"]}
    for key in ("title", "tagline", "model", "image", "ai_summary"):
        if not isinstance(meta[key], str):
            raise PostFormatError(f"post: front matter {key} must be a string")
    if not isinstance(meta["date"], dt.date) or isinstance(meta["date"], dt.datetime):
        raise PostFormatError("post: front matter date must be a YYYY-MM-DD date")
    for key in ("categories", "tags"):
        if not isinstance(meta[key], list) or not all(isinstance(item, str) for item in meta[key]):
            raise PostFormatError(f"post: front matter {key} must be a list of strings")
    slug, date = meta["model"], meta["date"]
    if meta["categories"] != [slug, "daily"]:
        raise PostFormatError(f"post: front matter categories must be [{slug}, daily]")
    if meta["image"] != "/" + image_path(slug, date):
        raise PostFormatError(f"post: front matter image must be /{image_path(slug, date)}")
    return {
        **meta,
        "title": unescape_html(meta["title"]),
        "tagline": unescape_html(meta["tagline"]),
        "ai_summary": unescape_html(meta["ai_summary"]),
        "tags": [unescape_html(tag) for tag in meta["tags"]],
    }


def _detect_locale(meta: dict[str, Any]) -> tuple[LocaleStrings, str]:
    """The locale whose title pattern matches, and the display name read from the title."""
    for strings in STRINGS.values():
        match = pattern_regex(strings.title).fullmatch(meta["title"])
        if match:
            if match["date"] != meta["date"].isoformat():
                raise PostFormatError(f"post: title date {match['date']} differs from date {meta['date']}")
            return strings, match["name"]
    raise PostFormatError(f"post: title {meta['title']!r} matches no locale's title pattern")


def _split_sections(body: list[_Line], strings: LocaleStrings) -> tuple[list[list[_Line]], _Line]:
    """The six sections' lines (headings removed) and the footer line."""
    sections: list[list[_Line]] = []
    expected = list(strings.headings)
    footer: _Line | None = None
    for index, line in enumerate(body):
        if line.text.startswith("## "):
            if not expected:
                raise _fail(line, f"unexpected heading after {strings.sources!r}")
            if line.text != "## " + expected[0]:
                raise _fail(line, f"expected heading '## {expected[0]}', got {line.text!r}")
            expected.pop(0)
            sections.append([])
        elif line.text == "---" and not expected:
            footer = _check_footer_tail(body[index + 1 :], line)
            break
        elif sections:
            sections[-1].append(line)
        elif line.text.strip():
            raise _fail(line, f"text before the first heading '## {strings.trend}'")
    if expected:
        raise PostFormatError(f"post: missing section '## {expected[0]}'")
    if footer is None:
        raise PostFormatError("post: missing the '---' footer after the sources")
    return sections, footer


def _check_footer_tail(rest: list[_Line], rule: _Line) -> _Line:
    content = [line for line in rest if line.text.strip()]
    if not content:
        raise _fail(rule, "missing the footer line after '---'")
    for extra in content[1:]:
        if not _TRAILING_ARTIFACT.match(extra.text):
            raise _fail(extra, "unexpected text after the footer")
    return content[0]


def _footer_generator(footer: _Line, strings: LocaleStrings, count: int) -> str:
    text = footer.text.strip()
    if not (text.startswith("*") and text.endswith("*") and len(text) > 2):
        raise _fail(footer, "footer must be one *italic* line")
    for generator, regex in strings.footer_patterns():
        match = regex.fullmatch(text[1:-1])
        if match:
            stated = int(match["count"]) if "count" in regex.groupindex else 1
            if stated != count:
                raise _fail(footer, f"footer counts {stated} sources but the post lists {count}")
            return generator
    raise _fail(footer, f"footer {text!r} is not a known {strings.code} footer")


def _check_tagline(tagline: str, strings: LocaleStrings, name: str, count: int) -> None:
    if tagline != strings.tagline_for(name, count):
        raise PostFormatError(f"post: tagline {tagline!r} should be {strings.tagline_for(name, count)!r}")


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Runs of non-blank lines."""
    blocks: list[list[_Line]] = [[]]
    for line in lines:
        if line.text.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _field(line: _Line, prefix: str = "") -> str:
    """A line's text without its prefix and optional trailing line break, unescaped."""
    if not line.text.startswith(prefix):
        raise _fail(line, f"expected a line starting with {prefix!r}")
    text = unescape_markdown(line.text[len(prefix) :].rstrip(" "))
    if not text.strip():
        raise _fail(line, "empty item")
    return text


def _single_paragraph(lines: list[_Line], heading: str) -> str:
    blocks = _blocks(lines)
    if len(blocks) != 1 or len(blocks[0]) != 1:
        where = blocks[0][0] if blocks else None
        raise _fail(where, f"section '{heading}' must be exactly one paragraph line")
    return _field(blocks[0][0])


def _highlights(lines: list[_Line], strings: LocaleStrings) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    blocks = _blocks(lines)
    if not blocks:
        raise PostFormatError(f"post: section '{strings.highlights}' has no highlights")
    for number, block in enumerate(blocks, start=1):
        match = _HIGHLIGHT.match(block[0].text)
        if not match or int(match[1]) != number:
            raise _fail(block[0], f"expected highlight '{number}) headline'")
        if len(block) != 2:
            raise _fail(block[0], "a highlight is a headline line followed by one paragraph line")
        headline = match[2]
        is_update = headline.startswith(strings.update_marker)
        headline = headline.removeprefix(strings.update_marker) if is_update else headline
        items.append(
            {
                "headline": _field(_Line(block[0].number, headline)),
                "body": _field(block[1]),
                "is_update": is_update,
            }
        )
    return items


def _labelled_paragraphs(lines: list[_Line], labels: tuple[str, ...], heading: str) -> list[str]:
    blocks = _blocks(lines)
    if len(blocks) != len(labels):
        raise _fail(lines[0] if lines else None, f"section '{heading}' must have {len(labels)} items")
    paragraphs: list[str] = []
    for block, label in zip(blocks, labels, strict=True):
        if block[0].text.rstrip(" ") != f"- {label}":
            raise _fail(block[0], f"expected '- {label}'")
        if len(block) != 2:
            raise _fail(block[0], f"'{label}' must be followed by one paragraph line")
        paragraphs.append(_field(block[1]))
    return paragraphs


def _bullets(lines: list[_Line], prefix: str, heading: str) -> list[str]:
    blocks = _blocks(lines)
    if len(blocks) != 1:
        raise _fail(lines[0] if lines else None, f"section '{heading}' must be one list of '{prefix}' items")
    return [_field(line, prefix) for line in blocks[0]]


def _implications(lines: list[_Line], strings: LocaleStrings) -> dict[str, list[str]]:
    blocks = _blocks(lines)
    labels = (strings.developers, strings.users)
    if len(blocks) != len(labels):
        raise _fail(lines[0] if lines else None, f"section '{strings.implications}' must have two lists")
    parts: list[list[str]] = []
    for block, label in zip(blocks, labels, strict=True):
        if block[0].text.rstrip(" ") != f"- {label}":
            raise _fail(block[0], f"expected '- {label}'")
        if len(block) < 2:
            raise _fail(block[0], f"'{label}' needs nested '  - ' items")
        parts.append([_field(line, "  - ") for line in block[1:]])
    return {"developers": parts[0], "users": parts[1]}


def _sources(lines: list[_Line], strings: LocaleStrings) -> list[dict[str, Any]]:
    blocks = _blocks(lines)
    if len(blocks) != 1:
        raise _fail(lines[0] if lines else None, f"section '{strings.sources}' must be one list of links")
    sources: list[dict[str, Any]] = []
    for number, line in enumerate(blocks[0], start=1):
        match = _SOURCE.match(line.text.rstrip(" "))
        if not match:
            raise _fail(line, "expected a source line '- [title](url)'")
        sources.append({"id": number, "title": unescape_markdown(match[1]), "url": match[2]})
    return sources


def _own_tags(tags: list[str], name: str) -> list[str]:
    """The digest's own tags: the list without the trailing display name, "AI" and "Digest"."""
    own = list(tags)
    for fixed in reversed((name, *FIXED_TAGS)):
        if own and own[-1] == fixed:
            own.pop()
    return own
