"""Page extraction on the layouts of the real news web: the article kept, boilerplate left, dates found."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import trafilatura

from dailydigest.sources.extract import (
    extract_main_text,
    page_published,
    parse_page,
    unwrap_layout_tables,
    without_headline,
)
from tests.support.page_layouts import DATA_TABLE, LAYOUTS, TABLE_LAID, WIRE_ZH, Layout, kept_share

UTC = dt.UTC
JSON_LD_NAIVE = (
    '<script type="application/ld+json">'
    '{"@type":"NewsArticle","datePublished":"2026-11-28 14:05:00"}</script>'
)
TAIPEI = ZoneInfo("Asia/Taipei")


def _ours(layout: Layout) -> str:
    return without_headline(extract_main_text(layout.html, layout.url), layout.title)


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_the_article_is_kept_with_no_more_boilerplate_than_plain_trafilatura(layout: Layout) -> None:
    plain = trafilatura.extract(layout.html, url=layout.url) or ""
    ours = _ours(layout)

    assert kept_share(ours, layout.article) >= 0.95 * kept_share(plain, layout.article)
    assert kept_share(ours, layout.article) >= 0.95
    assert kept_share(ours, layout.boilerplate) <= kept_share(plain, layout.boilerplate)


def test_the_layouts_together_carry_less_boilerplate_than_plain_trafilatura() -> None:
    plain = sum(
        kept_share(trafilatura.extract(lay.html, url=lay.url) or "", lay.boilerplate) for lay in LAYOUTS
    )
    ours = sum(kept_share(_ours(lay), lay.boilerplate) for lay in LAYOUTS)
    assert ours < plain / 4


def test_a_data_tables_figures_are_kept() -> None:
    text = _ours(DATA_TABLE)
    for figure in ("82.5", "73.8", "64.9", "雲雀 3 小型版"):
        assert figure in text


def test_a_layout_table_becomes_blocks_and_a_data_table_stays() -> None:
    laid = parse_page(TABLE_LAID.html)
    data = parse_page(DATA_TABLE.html)
    assert laid is not None
    assert data is not None
    unwrap_layout_tables(laid)
    unwrap_layout_tables(data)
    assert laid.xpath("//table") == []
    assert len(data.xpath("//table")) == 1


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_one_parsed_tree_serves_every_pass_and_the_date_unchanged(layout: Layout) -> None:
    # Given a page's tree with its layout tables already unwrapped (the one change extraction makes)
    tree = parse_page(layout.html)
    assert tree is not None
    unwrap_layout_tables(tree)
    before = lxml.html.tostring(tree)

    # When every extraction pass and the date reading run on it
    text = extract_main_text(tree, layout.url)
    page_published(tree, text)

    # Then the libraries pruned copies of their own, not the tree the others read
    assert lxml.html.tostring(tree) == before
    assert text == extract_main_text(layout.html, layout.url)


def test_the_dateline_and_original_title_lines_open_the_wire_story() -> None:
    lines = _ours(WIRE_ZH).splitlines()
    assert lines[:3] == ["雲端日報記者陳立新／台北報導", "原標題：雲雀模型推出企業方案", "又有新動作。"]
    assert WIRE_ZH.title not in lines


@pytest.mark.parametrize(
    ("head", "body", "zone", "expected"),
    [
        pytest.param(
            "<meta property='article:published_time' content='2026-11-28T14:05:00+08:00'>",
            "",
            None,
            dt.datetime(2026, 11, 28, 6, 5, tzinfo=UTC),
            id="article-published-time",
        ),
        pytest.param(
            JSON_LD_NAIVE,
            "",
            TAIPEI,
            dt.datetime(2026, 11, 28, 14, 5, tzinfo=TAIPEI),
            id="json-ld-naive-on-a-taiwanese-site",
        ),
        pytest.param(
            JSON_LD_NAIVE,
            "",
            None,
            dt.datetime(2026, 11, 28, 14, 5),
            id="json-ld-naive-zone-unknown",
        ),
        pytest.param(
            "",
            "2026年11月28日 14:05 記者陳立新／台北報導",
            TAIPEI,
            dt.datetime(2026, 11, 28, 14, 5, tzinfo=TAIPEI),
            id="dateline",
        ),
        pytest.param("", "本文沒有日期，只有 2026 這個年份。", None, None, id="a-year-is-no-date"),
        pytest.param("", "沒有任何日期。", None, None, id="nothing"),
    ],
)
def test_the_pages_own_date(
    head: str, body: str, zone: dt.tzinfo | None, expected: dt.datetime | None
) -> None:
    html = f"<html><head><title>t</title>{head}</head><body><article><p>{body}</p></article></body></html>"
    tree = parse_page(html)
    assert tree is not None
    assert page_published(tree, body, zone) == expected


def test_an_xhtml_page_with_an_xml_declaration_is_read() -> None:
    paragraph = "<p>Nimbus 3 ships with open weights and a longer context window for every user.</p>"
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>t</title></head><body><article>{paragraph * 4}</article></body></html>"
    )
    assert "open weights" in extract_main_text(page, "https://lab.example/x")
