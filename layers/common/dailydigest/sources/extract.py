"""What a fetched page says: its article text and its publication date.

Text: trafilatura in two passes. The first favours precision (little boilerplate) and keeps
tables' text; precision mode has no fallback extractor, so on some layouts it returns a sliver of
the article or nothing. When it returns far less than the page's main text (the article body the
page declares in its JSON-LD, else trafilatura's baseline reading of the page), a second,
recall-oriented pass runs (with comments too if even that finds little: some themes class the
article's container like a comment section) and wins if it finds clearly more. Before both,
tables used for page layout (old sites put the whole page in one) are turned into plain blocks,
so that navigation cells are judged as navigation rather than kept as table data; data tables
stay tables.

Date: the page's own metadata (article:published_time, JSON-LD datePublished, <time>, ...) read
by htmldate without its text-wide guessing (which turns "2026年11月28日" into 2026-01-01), else a
dateline at the top of the article ("2026年11月28日 10:30", "2026/11/28 14:05").

trafilatura, htmldate and lxml are heavy: imported when a page is actually read. One parsed tree
serves every pass and the date: trafilatura (2.x, as pinned) and htmldate (>= 1.11, which it
requires) copy a tree they are given before pruning it, so no pass sees another's cuts.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from dailydigest.sources.dates import find_cjk_date, parse_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

SECOND_PASS_BELOW = 0.5
"""The first pass is 'far shorter' than the page's main text below this share of it."""
SECOND_PASS_GAIN = 1.3
"""The recall pass replaces the first when it holds at least this many times its text."""
_DATELINE_CHARS = 200
_LAYOUT_CELL_CHARS = 200
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_TITLE_SEPARATORS = re.compile(r"\s*[|｜\-–—:：_]\s*")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_page(page: str | bytes) -> HtmlElement | None:
    """The page as an lxml tree (None for a page lxml cannot read)."""
    from lxml import etree, html

    if isinstance(page, str):
        # XHTML's <?xml ... encoding=...?>: lxml refuses a declared encoding on text already decoded.
        page = _XML_DECLARATION.sub("", page, count=1)
    try:
        tree = html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None
    return tree


def extract_main_text(page: str | bytes | HtmlElement, url: str) -> str:
    """The page's article text (boilerplate removed, tables' text kept), '' when it has none."""
    import trafilatura

    tree = parse_page(page) if isinstance(page, str | bytes) else page
    if tree is None:
        return ""
    unwrap_layout_tables(tree)
    options: dict[str, Any] = {"url": url, "include_tables": True}
    try:
        precise = trafilatura.extract(tree, favor_precision=True, include_comments=False, **options)
        first = (precise or "").strip()
        expected = main_text_estimate(tree)
        if len(first) >= SECOND_PASS_BELOW * expected:
            return first
        recalled = trafilatura.extract(tree, favor_recall=True, include_comments=False, **options)
        second = (recalled or "").strip()
        if len(second) < SECOND_PASS_BELOW * expected:
            # Last resort: a theme whose article container is classed like comments ("comment-body").
            anyway = trafilatura.extract(tree, favor_recall=True, include_comments=True, **options)
            second = max(second, (anyway or "").strip(), key=len)
    except Exception as exc:  # a parser crash on one odd page must not end the run
        logger.warning("page extraction failed", extra={"url": url, "reason": str(exc)[:200]})
        return ""
    if len(second) >= SECOND_PASS_GAIN * max(len(first), 1):
        sizes = {"first": len(first), "second": len(second), "page": expected}
        logger.info("recall pass used", extra={"url": url, **sizes})
        return second
    return first


def main_text_estimate(tree: HtmlElement) -> int:
    """How many characters the page's main text holds: its declared article body, else a baseline."""
    import trafilatura

    declared = max((len(body) for body in _json_ld_values(tree, "articleBody")), default=0)
    if declared:
        return declared
    _, text, length = trafilatura.baseline(tree)
    return length if text else 0


def unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn tables that lay out a page into blocks, in place (readability's data-table test, simplified).

    A data table has a caption, header cells or a summary, and short cells; a layout table holds
    other tables, or cells with paragraphs of text.
    """
    for table in list(tree.iter("table")):
        if table.get("role") in ("presentation", "none"):
            layout = True
        elif table.xpath("./caption|./thead|.//th") or table.get("summary"):
            layout = False
        else:
            layout = bool(table.xpath(".//table")) or any(
                len(cell.text_content().strip()) > _LAYOUT_CELL_CHARS for cell in table.iter("td")
            )
        if layout:
            for element in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
                element.tag = "div"


def _json_ld_values(tree: HtmlElement, key: str) -> list[str]:
    values: list[str] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        values.extend(_find_key(data, key))
    return values


def _find_key(data: object, key: str, depth: int = 0) -> list[str]:
    if depth > 6:
        return []
    if isinstance(data, dict):
        found = [data[key]] if isinstance(data.get(key), str) else []
        for value in data.values():
            found.extend(_find_key(value, key, depth + 1))
        return found
    if isinstance(data, list):
        return [item for value in data[:50] for item in _find_key(value, key, depth + 1)]
    return []


def page_published(tree: HtmlElement, text: str = "", zone: dt.tzinfo | None = None) -> dt.datetime | None:
    """The page's publication time from its metadata, else from a dateline atop its text.

    Aware when the page names its zone (or `zone` is given), naive otherwise; None when the
    page does not say.
    """
    import htmldate

    try:
        found = htmldate.find_date(
            tree, extensive_search=False, original_date=True, outputformat=_DATE_FORMAT
        )
    except Exception:  # htmldate on an odd page: no date rather than no article
        found = None
    if found:
        stamp = parse_date(found, zone)
        # htmldate writes a date it only knows by day (from the URL, say) as midnight: midday is fairer.
        if stamp is not None and stamp.tzinfo is None and stamp.time() == dt.time(0):
            stamp = stamp.replace(hour=12)
            return stamp.replace(tzinfo=zone) if zone is not None else stamp
        if stamp is not None:
            return stamp
    dateline = find_cjk_date(text[:_DATELINE_CHARS])
    if dateline is not None and zone is not None:
        return dateline.replace(tzinfo=zone)
    return dateline


def _fold(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKC", text).casefold() if char.isalnum())


def repeats_title(line: str, title: str) -> bool:
    """Whether a line is the headline again, either of them perhaps with a ' - Outlet' suffix."""
    lines = _title_forms(line)
    return bool(lines) and not lines.isdisjoint(_title_forms(title))


def _title_forms(text: str) -> set[str]:
    forms = {_fold(text)}
    parts = _TITLE_SEPARATORS.split(text.strip())
    if len(parts) > 1:  # "Headline - Outlet", "Headline｜Outlet"
        forms.add(_fold(" ".join(parts[:-1])))
    return {form for form in forms if len(form) >= 4}


def without_headline(text: str, title: str) -> str:
    """The text minus a leading line that repeats the title (extractors keep an <h1> in <article>).

    Only the title is removed: a dateline, a 「原標題：」 line or a short first sentence is article.
    """
    first, _, rest = text.partition("\n")
    if rest.strip() and repeats_title(first.strip(), title):
        return rest.strip()
    return text
