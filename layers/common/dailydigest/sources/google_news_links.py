"""Google News item links and the protocol that turns them into the publisher's URL.

Search RSS items link to `{root}/rss/articles/<id>?oc=5`. Two kinds of id exist:

- the older ids are url-safe base64 of a small protobuf message whose field 4 holds the article
  URL itself: decoded here, locally, without asking Google anything;
- the current ids (since mid-2024) hold an opaque `AU_yqL...` token. Google's own reader page
  resolves them: the article page (`/rss/articles/<id>`, or `/articles/<id>`) carries a
  signature and a timestamp in the `data-n-a-sg` and `data-n-a-ts` attributes of one element
  near the end of a large page, and the page's script posts them to the `batchexecute` RPC
  endpoint (`/_/DotsSplashUi/data/batchexecute`, rpc id `Fbv4je`), which answers with the
  publisher's URL. One POST carries many calls, each tagged with its own request id.

The reply starts with the anti-XSSI line `)]}'` and comes in one of two framings: one JSON array
of rows, or length-prefixed chunks (`<length>\\n<json array>` repeated). A result row is
`["wrb.fr", "Fbv4je", "<json payload>", null, null, null, "<request id>"]` whose payload is
`["garturlres", "<publisher url>", 1]`; rows come in any order and are matched by request id,
and a call that failed has no payload (an error code instead).

Everything here is pure: building requests and reading answers. The fetching, politeness and
caching live in `google_news_resolver`.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from dailydigest.locales import facts_for

RPC_ID = "Fbv4je"
RPC_PATH = "/_/DotsSplashUi/data/batchexecute"
XSSI_PREFIX = ")]}'"
_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,2000}$")
_TAG_WITH_SIGNATURE = re.compile(r"<[a-zA-Z][^<>]*?\sdata-n-a-sg\s*=[^<>]*>", re.DOTALL)
_ATTRIBUTE = re.compile(r"""\s([a-zA-Z][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_SIGNATURE_PATTERN = re.compile(r"^[A-Za-z0-9_\-+/=.:]{8,2000}$")


@dataclass(frozen=True)
class Edition:
    """Google News's language (hl), country (gl) and edition id (ceid)."""

    hl: str
    gl: str
    ceid: str


def edition_for(locale: str) -> Edition:
    """The topic locale's Google News edition (the locale registry names it)."""
    return Edition(*facts_for(locale).google_news)


@dataclass(frozen=True)
class Signature:
    """What the article page gives to resolve one id: its signature and timestamp."""

    item_id: str
    signature: str
    timestamp: str


# --- item links ------------------------------------------------------------------------------------


def item_id(link: str, root: str) -> str | None:
    """The article id of a Google News link under `root` (`/rss/articles/ID`, `/articles/ID`, `/read/ID`)."""
    if not _on_root_host(link, root):
        return None
    candidate = _article_segment(urlsplit(link).path)
    return candidate if candidate is not None and _ID_PATTERN.match(candidate) else None


def is_google_link(url: str, root: str) -> bool:
    """A link to Google's own pages: under the configured root, or on a google.com host."""
    if _on_root_host(url, root):
        return True
    host = (urlsplit(url).hostname or "").lower()
    return host in ("google.com", "news.google.com") or host.endswith(".google.com")


def _on_root_host(url: str, root: str) -> bool:
    parts, base = urlsplit(url), urlsplit(root)
    return (parts.hostname or "").lower() == (base.hostname or "").lower() and parts.port == base.port


def _article_segment(path: str) -> str | None:
    """The last segment of an `.../articles/ID` or `.../read/ID` path, unchecked."""
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) >= 2 and segments[-2] in ("articles", "read"):
        return segments[-1]
    return None


def embedded_url(link: str) -> str | None:
    """The publisher's URL a Google News link carries itself: a `url=` parameter, or an older id."""
    parts = urlsplit(link)
    for key, value in parse_qsl(parts.query):
        if key == "url" and urlsplit(value).scheme in ("http", "https"):
            return value
    token = _article_segment(parts.path)
    return decode_old_id(token) if token is not None else None


def decode_old_id(token: str) -> str | None:
    """The article URL inside an older id (protobuf field 4); None for a current, opaque id."""
    try:
        data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    position = 0
    while position < len(data):
        tag = data[position]
        position += 1
        wire_type = tag & 0x07
        if wire_type == 0:
            _, position = _varint(data, position)
        elif wire_type == 2:
            length, position = _varint(data, position)
            value = data[position : position + length]
            position += length
            if tag >> 3 == 4 and value.startswith((b"http://", b"https://")):
                try:
                    return value.decode("utf-8")
                except UnicodeDecodeError:
                    return None
        else:
            return None
    return None


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while position < len(data):
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
        shift += 7
    return value, position


# --- the article page ------------------------------------------------------------------------------


def article_page_urls(item: str, root: str, edition: Edition) -> tuple[str, str]:
    """The two pages that carry an id's signature: the RSS article page first (it answers plain
    clients; `/articles/` sends them to a "sorry" page more often), then the reader's page."""
    query = urlencode({"hl": edition.hl, "gl": edition.gl, "ceid": edition.ceid}, safe=":")
    base = root.rstrip("/")
    return f"{base}/rss/articles/{item}?{query}", f"{base}/articles/{item}?{query}"


def page_signature(page: str, item: str) -> Signature | None:
    """The signature and timestamp on an article page; None when the markup no longer has them.

    The element that carries them names its article (`data-n-a-id`). On a page with several (a
    related story's), only this item's counts; a lone element counts whatever id it names, since
    Google may write the id in another of its forms than the link did.
    """
    found: list[tuple[str | None, Signature]] = []
    for match in _TAG_WITH_SIGNATURE.finditer(page):
        attributes = _attributes(match.group(0))
        signature, timestamp = attributes.get("data-n-a-sg", ""), attributes.get("data-n-a-ts", "")
        if _SIGNATURE_PATTERN.match(signature) and timestamp.isdigit() and len(timestamp) <= 20:
            found.append((attributes.get("data-n-a-id"), Signature(item, signature, timestamp)))
    named = [signature for name, signature in found if name == item]
    if named:
        return named[0]
    if len(found) == 1:
        return found[0][1]
    unnamed = [signature for name, signature in found if name is None]
    return unnamed[0] if unnamed else None


def _attributes(tag: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTRIBUTE.findall(tag):
        found.setdefault(name.lower(), html.unescape(double or single or bare))
    return found


# --- the RPC ---------------------------------------------------------------------------------------


def rpc_url(root: str, edition: Edition) -> str:
    query = urlencode({"rpcids": RPC_ID, "hl": edition.hl, "gl": edition.gl}, safe=":")
    return f"{root.rstrip('/')}{RPC_PATH}?{query}"


def rpc_body(calls: Sequence[tuple[str, Signature]], edition: Edition) -> bytes:
    """The form body (`f.req=...`) of one POST resolving many ids; `calls` pairs a request id
    (unique in this POST) with the signature of the item it resolves."""
    envelopes = [
        [RPC_ID, json.dumps(_call_arguments(found, edition), separators=(",", ":")), None, request_id]
        for request_id, found in calls
    ]
    payload = json.dumps([envelopes], separators=(",", ":"), ensure_ascii=False)
    return f"f.req={quote(payload, safe='')}".encode("ascii")


def _call_arguments(found: Signature, edition: Edition) -> list[object]:
    # The reader's context block as the page sends it: edition, then fixed flags Google expects.
    reader = [edition.hl, edition.gl, [edition.hl, edition.gl], None, None, 1, 1, edition.ceid]
    context = [
        [*reader, None, 1, None, None, None, None, None, 0, 1],
        edition.hl,
        edition.gl,
        1,
        [1, 1, 1],
        1,
        1,
        None,
        0,
        0,
        None,
        0,
    ]
    return ["garturlreq", context, found.item_id, int(found.timestamp), found.signature]


class ReplyError(ValueError):
    """A batchexecute reply that is not in either framing (an HTML page, a truncated body)."""


def parse_reply(body: str) -> dict[str, str]:
    """Publisher URLs by request id, from a batchexecute reply in either framing.

    Rows of other kinds (`di`, `af.httprm`, `e`), rows for another rpc and failed calls are skipped.
    """
    text = body.lstrip("\ufeff").lstrip()
    if not text.startswith(XSSI_PREFIX):
        raise ReplyError("reply does not start with the )]}' line")
    found: dict[str, str] = {}
    for row in _rows(text[len(XSSI_PREFIX) :]):
        if not (isinstance(row, list) and len(row) >= 3 and row[0] == "wrb.fr" and row[1] == RPC_ID):
            continue
        url = _result_url(row[2])
        request_id = _request_id(row)
        if url is not None and request_id is not None:
            found[request_id] = url
    return found


def _rows(text: str) -> Iterator[object]:
    """Every row of the reply: the arrays of each chunk (length-prefixed) or of the one array."""
    decoder = json.JSONDecoder()
    position, parsed_any = 0, False
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            break
        # A chunk's length prefix. It counts characters as the server counted them (UTF-16 units
        # in Google's replies), so the JSON that follows is read by its own syntax, not by length.
        digits = position
        while position < len(text) and text[position].isdigit():
            position += 1
        if position > digits:
            if position < len(text) and text[position] not in "\r\n":
                raise ReplyError("a chunk length runs into its chunk")
            while position < len(text) and text[position] in " \t\r\n":
                position += 1
            if position >= len(text):
                raise ReplyError("a chunk length with no chunk")
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise ReplyError(f"unreadable chunk: {exc}") from None
        parsed_any = True
        if isinstance(value, list):
            yield from value
    if not parsed_any:
        raise ReplyError("reply has no rows")


def _result_url(payload: object) -> str | None:
    if not isinstance(payload, str):
        return None  # a failed call: no payload, an error code elsewhere in the row
    try:
        result = json.loads(payload)
    except json.JSONDecodeError:
        return None
    if isinstance(result, list) and len(result) >= 2 and result[0] == "garturlres":
        url = result[1]
        if isinstance(url, str) and urlsplit(url).scheme in ("http", "https"):
            return url
    return None


def _request_id(row: list[object]) -> str | None:
    # The id sits in the row's seventh cell ("generic" when the call was sent without one).
    if len(row) >= 7 and isinstance(row[6], str | int) and not isinstance(row[6], bool):
        return str(row[6])
    return None
