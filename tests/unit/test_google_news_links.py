"""The Google News link protocol: ids under the configured root, the article page's signature,
the RPC's form body and its replies in both framings."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from dailydigest.sources.google_news_links import (
    ReplyError,
    Signature,
    article_page_urls,
    edition_for,
    embedded_url,
    is_google_link,
    item_id,
    page_signature,
    parse_reply,
    rpc_body,
)
from tests.support.fake_google_news import Item, article_page, opaque_id, rpc_reply, signature_for

ROOT = "https://news.google.com"
ITEM = opaque_id("https://technews.example/2026/11/28/nimbus-3.html")


@pytest.mark.parametrize(
    ("link", "root", "expected"),
    [
        (f"https://news.google.com/rss/articles/{ITEM}?oc=5", ROOT, ITEM),
        (f"https://news.google.com/articles/{ITEM}?hl=zh-TW", ROOT, ITEM),
        (f"https://news.google.com/read/{ITEM}", ROOT, ITEM),
        (f"http://127.0.0.1:8123/rss/articles/{ITEM}?oc=5", "http://127.0.0.1:8123", ITEM),
        # another port of the same host, another site, a path that is not an item, a bad id
        (f"http://127.0.0.1:9999/rss/articles/{ITEM}", "http://127.0.0.1:8123", None),
        (f"https://publisher.example/articles/{ITEM}", ROOT, None),
        ("https://news.google.com/rss/search?q=Nimbus", ROOT, None),
        ("https://news.google.com/rss/articles/<script>", ROOT, None),
    ],
)
def test_item_ids_are_read_from_links_under_the_root(link: str, root: str, expected: str | None) -> None:
    assert item_id(link, root) == expected


@pytest.mark.parametrize(
    ("url", "google"),
    [
        ("http://127.0.0.1:8123/anything", True),
        ("https://consent.google.com/ml?continue=x", True),
        ("https://www.google.com/sorry/index", True),
        ("https://news.google.com/articles/x", True),
        ("https://technews.example/a.html", False),
        ("https://notgoogle.com/a.html", False),
        ("http://127.0.0.1:8124/a.html", False),
    ],
)
def test_google_links_are_told_from_publishers(url: str, google: bool) -> None:
    assert is_google_link(url, "http://127.0.0.1:8123") is google


def test_a_current_id_carries_no_url_and_is_left_to_the_rpc() -> None:
    assert embedded_url(f"{ROOT}/rss/articles/{ITEM}?oc=5") is None


def test_the_article_pages_keep_the_edition() -> None:
    rss_page, reader_page = article_page_urls(ITEM, ROOT + "/", edition_for("zh-TW"))
    assert rss_page == f"{ROOT}/rss/articles/{ITEM}?hl=zh-TW&gl=TW&ceid=TW:zh-Hant"
    assert reader_page == f"{ROOT}/articles/{ITEM}?hl=zh-TW&gl=TW&ceid=TW:zh-Hant"


def _item() -> Item:
    return Item(
        ITEM, "https://technews.example/a.html", "Nimbus 3", "科技新報站", "https://technews.example", ""
    )


def test_the_signature_is_found_near_the_end_of_a_large_page() -> None:
    page = article_page(_item(), with_attributes=True, size=2_000_000).decode()
    found = page_signature(page, ITEM)
    assert found is not None
    assert found.signature == signature_for(ITEM)
    assert found.timestamp.isdigit()
    assert page.index("data-n-a-sg") > len(page) - 2_000


def test_a_page_without_the_attributes_gives_no_signature() -> None:
    assert page_signature(article_page(_item(), with_attributes=False, size=10_000).decode(), ITEM) is None


def test_among_several_elements_only_this_items_counts() -> None:
    other = '<div data-n-a-id="CBMiOTHER" data-n-a-sg="AZ5r0therSignature" data-n-a-ts="1764000000"></div>'
    mine = f'<div data-n-a-id="{ITEM}" data-n-a-sg="AZ5rMineSignature" data-n-a-ts="1764000001"></div>'
    assert page_signature(f"<html>{other}{mine}</html>", ITEM) == Signature(
        ITEM, "AZ5rMineSignature", "1764000001"
    )
    assert page_signature(f"<html>{other}{other.replace('OTHER', 'THIRD')}</html>", ITEM) is None
    # A lone element names the article in another form of its id: still this page's signature
    assert page_signature(f"<html>{other}</html>", ITEM) == Signature(
        ITEM, "AZ5r0therSignature", "1764000000"
    )


@pytest.mark.parametrize(
    "element",
    [
        # a timestamp that is not a number, a signature with markup in it
        '<div data-n-a-sg="AZ5rSignature1" data-n-a-ts="soon">',
        '<div data-n-a-sg="AZ5r&quot;&gt;&lt;script&gt;" data-n-a-ts="1764000000">',
    ],
)
def test_only_this_items_well_formed_attributes_count(element: str) -> None:
    assert page_signature(f"<html><body>{element}</div></body></html>", ITEM) is None


def test_attributes_in_single_quotes_and_any_order_are_read() -> None:
    attributes = f"data-n-a-ts='1764000123' jscontroller='x' data-n-a-sg='AZ5rSig_-123' data-n-a-id='{ITEM}'"
    page = f"<c-wiz><div {attributes}>"
    assert page_signature(page, ITEM) == Signature(ITEM, "AZ5rSig_-123", "1764000123")


def test_one_post_carries_every_call_with_its_own_request_id() -> None:
    calls = [(str(n), Signature(f"CBMi{n}xxxxxxxx", f"sig{n}xxxxxx", str(1764000000 + n))) for n in (1, 2, 3)]
    body = rpc_body(calls, edition_for("en"))

    envelopes = json.loads(parse_qs(body.decode())["f.req"][0])[0]
    assert [(rpc, request_id) for rpc, _, _, request_id in envelopes] == [
        ("Fbv4je", "1"),
        ("Fbv4je", "2"),
        ("Fbv4je", "3"),
    ]
    name, context, item, timestamp, signature = json.loads(envelopes[1][1])
    assert (name, item, timestamp, signature) == ("garturlreq", "CBMi2xxxxxxxx", 1764000002, "sig2xxxxxx")
    assert "US:en" in context[0]


def _rows() -> list[list[object]]:
    return [
        ["wrb.fr", "Fbv4je", json.dumps(["garturlres", "https://b.example/2", 1]), None, None, None, "2"],
        ["wrb.fr", "Fbv4je", None, None, None, [3], "3"],  # a call Google did not answer
        ["wrb.fr", "Fbv4je", json.dumps(["garturlres", "https://a.example/1", 1]), None, None, None, "1"],
        ["wrb.fr", "OtherRpc", json.dumps(["garturlres", "https://c.example/", 1]), None, None, None, "4"],
    ]


@pytest.mark.parametrize("framing", ["plain", "chunked"])
def test_replies_are_read_in_either_framing_and_matched_by_id(framing: str) -> None:
    reply = rpc_reply(_rows(), [["di", 40], ["af.httprm", 39, "-123", 2]], framing).decode()
    assert parse_reply(reply) == {"1": "https://a.example/1", "2": "https://b.example/2"}


def test_a_chunk_length_that_counts_otherwise_does_not_matter() -> None:
    # Non-ASCII in a chunk: its length prefix counted UTF-16 units, not characters or bytes
    row = [
        "wrb.fr",
        "Fbv4je",
        json.dumps(["garturlres", "https://新聞.example/文章", 1]),
        None,
        None,
        None,
        "1",
    ]
    chunk = json.dumps([row], ensure_ascii=False)
    reply = f')]}}\'\n\n{len(chunk.encode()) + 7}\n{chunk}\n25\n[["e",4,null,null,142]]\n'
    assert parse_reply(reply) == {"1": "https://新聞.example/文章"}


@pytest.mark.parametrize(
    "reply",
    [
        "<html>Sorry...</html>",
        ")]}'\n\n",
        ')]}\'\n\n[["wrb.fr","Fbv4je",',
        ")]}'\n\n123",
        ")]}'\n\n12[[]]",
    ],
    ids=["an html page", "no rows", "truncated", "a length with no chunk", "a length run into its chunk"],
)
def test_a_reply_in_neither_framing_is_an_error(reply: str) -> None:
    with pytest.raises(ReplyError):
        parse_reply(reply)


def test_a_payload_that_is_not_a_web_address_is_ignored() -> None:
    rows = [["wrb.fr", "Fbv4je", json.dumps(["garturlres", "javascript:alert(1)", 1]), None, None, None, "1"]]
    assert parse_reply(rpc_reply(rows, [], "plain").decode()) == {}
