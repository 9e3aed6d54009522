"""A loopback Google News that speaks the protocol the resolver uses, with Google's faults.

What it serves, as Google News did in late 2026 (written for these tests from the decoders'
documented behaviour, nothing copied):

- `GET /rss/search?q=...`: search RSS whose item links are `{origin}/rss/articles/<id>?oc=5`
  with current, opaque ids (base64 of a protobuf whose field 4 is an `AU_yqL...` token);
- `GET /rss/articles/<id>` and `GET /articles/<id>`: a large article page (scripts and markup
  first) whose `<c-wiz><div jscontroller ... data-n-a-id data-n-a-sg data-n-a-ts>` sits near
  the end; the signature is an HMAC of the id, so a made-up one is refused;
- `POST /_/DotsSplashUi/data/batchexecute`: reads the form's `f.req`, checks each `Fbv4je` call's
  id, timestamp and signature, and answers `)]}'` then the rows, in one JSON array (`plain`) or
  in length-prefixed chunks (`chunked`), optionally in another order than asked (`reorder`), with
  the `di`/`af.httprm`/`e` rows Google adds; a bad call gets an error row without a payload.

Faults (`Faults`): a 429 with Retry-After once N requests were served (and for every request
after), a consent redirect (to consent.google.com), a "sorry" redirect (www.google.com/sorry),
changed markup (the attributes gone), and the RSS page alone losing them (the reader's page
still has them). Every request is recorded.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

from tests.support.serving import ServedFake

_KEY = b"fake-google-news-signing-key"
_FILLER = (
    "<script nonce=\"n0nce\">AF_initDataCallback({key: 'ds:%d', hash: '%d', data:[null,[[\"gn\","
    '"CAAqNggKIjBDQklTSGpvSmMzUnZjbmt0TXpZd1NoRUtEd2pMeF9yd0NSR0x4X3J3Q1NnQVAB",%d]]],'
    " sideChannel: {}});</script>\n"
)


@dataclass
class Faults:
    rate_limit_after: int | None = None
    """Answer 429 to every request once this many were served."""
    retry_after: str = "3600"
    consent: bool = False
    sorry: bool = False
    changed_markup: bool = False
    rss_page_without_attributes: bool = False
    """Only the RSS article page lost the attributes (the reader's /articles/ page has them)."""
    framing: str = "plain"
    """`plain` (one JSON array) or `chunked` (length-prefixed chunks)."""
    reorder: bool = False
    drop_rows: frozenset[str] = frozenset()
    """Ids whose call Google answers with an error row (no URL)."""
    delay: float = 0.0
    """Seconds before every answer (a far-away server), for the benchmark."""


@dataclass(frozen=True)
class Item:
    item_id: str
    publisher_url: str
    title: str
    publisher: str
    site: str
    published: str
    queries: tuple[str, ...] = ()
    """The searches that find it (empty: every search)."""


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: str
    body: bytes


@dataclass
class _State:
    items: dict[str, Item] = field(default_factory=dict)
    faults: Faults = field(default_factory=Faults)
    requests: list[Seen] = field(default_factory=list)
    page_bytes: int = 600_000
    lock: threading.Lock = field(default_factory=threading.Lock)


def opaque_id(seed: str) -> str:
    """A current, opaque article id, as Google writes them (`CBMi...`)."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(seed.encode()).digest() * 3).decode().rstrip("=")
    token = ("AU_yqL" + digest)[:150].encode()
    message = b"\x08\x13\x22" + bytes([len(token) | 0x80, 0x01]) + token
    return base64.urlsafe_b64encode(message).decode().rstrip("=")


def signature_for(item_id: str) -> str:
    return base64.urlsafe_b64encode(hmac.new(_KEY, item_id.encode(), hashlib.sha256).digest()).decode()


def timestamp_for(item_id: str) -> int:
    return 1_764_000_000 + int(hashlib.sha256(item_id.encode()).hexdigest()[:6], 16)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128
    state: _State
    origin: str


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._handle("GET", b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0") or 0)
        self._handle("POST", self.rfile.read(length))

    def _handle(self, method: str, body: bytes) -> None:
        state, parts = self.server.state, urlsplit(self.path)
        with state.lock:
            state.requests.append(Seen(method, parts.path, parts.query, body))
            served = len(state.requests)
        faults = state.faults
        if faults.delay:
            time.sleep(faults.delay)
        if faults.rate_limit_after is not None and served > faults.rate_limit_after:
            self._send(429, b"<html>Too Many Requests</html>", headers={"Retry-After": faults.retry_after})
            return
        segments = [segment for segment in parts.path.split("/") if segment]
        if method == "GET" and parts.path == "/rss/search":
            self._send(
                200, self._search(parse_qs(parts.query).get("q", [""])[0]), "application/xml; charset=utf-8"
            )
        elif method == "GET" and len(segments) >= 2 and segments[-2] == "articles":
            self._article_page(segments[-1], reader=segments[0] != "rss")
        elif method == "POST" and parts.path == "/_/DotsSplashUi/data/batchexecute":
            self._rpc(body)
        else:
            self._send(404, b"not found", "text/plain")

    def _search(self, query: str) -> bytes:
        origin, items = self.server.origin, self.server.state.items.values()
        words = query.split(" when:")[0].split(" after:")[0].strip('"')
        entries = "\n".join(
            f"<item><title>{item.title} - {item.publisher}</title>"
            f"<link>{origin}/rss/articles/{item.item_id}?oc=5</link>"
            f'<guid isPermaLink="false">{item.item_id}</guid><pubDate>{item.published}</pubDate>'
            f'<description>&lt;a href="{origin}/rss/articles/{item.item_id}?oc=5" target="_blank"&gt;'
            f'{item.title}&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;{item.publisher}'
            f"&lt;/font&gt;</description>"
            f'<source url="{item.site}">{item.publisher}</source></item>'
            for item in items
            if not item.queries or words in item.queries
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<rss version="2.0" '
            'xmlns:media="http://search.yahoo.com/mrss/"><channel><generator>NFE/5.0</generator>'
            f"<title>&quot;{words}&quot; - Google News</title><link>{origin}/search?q={quote(words)}</link>"
            f"<language>zh-TW</language><description>Google News</description>\n{entries}\n</channel></rss>\n"
        ).encode()

    def _article_page(self, item_id: str, reader: bool) -> None:
        state, faults = self.server.state, self.server.state.faults
        if faults.consent:
            target = (
                f"https://consent.google.com/ml?continue={quote(self.server.origin + self.path)}&gl=DE&hl=de"
            )
            self._send(302, b"", "text/html", headers={"Location": target})
            return
        if faults.sorry:
            target = (
                f"https://www.google.com/sorry/index?continue={quote(self.server.origin + self.path)}&q=EgQ"
            )
            self._send(302, b"", "text/html", headers={"Location": target})
            return
        item = state.items.get(item_id)
        if item is None:
            self._send(404, b"<html>not found</html>", "text/html")
            return
        with_attributes = not faults.changed_markup and (reader or not faults.rss_page_without_attributes)
        self._send(200, article_page(item, with_attributes, state.page_bytes), "text/html; charset=utf-8")

    def _rpc(self, body: bytes) -> None:
        faults, items = self.server.state.faults, self.server.state.items
        try:
            form = parse_qs(body.decode("ascii"), strict_parsing=True)
            envelopes = json.loads(form["f.req"][0])[0]
        except (ValueError, KeyError, IndexError):
            self._send(400, b')]}\'\n\n[["er",null,null,null,null,400]]', "application/json; charset=utf-8")
            return
        rows: list[list[object]] = []
        for rpc, arguments, _, request_id in envelopes:
            url = None
            try:
                name, _, item_id, timestamp, signature = json.loads(arguments)
                item = items.get(item_id)
                valid = (
                    rpc == "Fbv4je"
                    and name == "garturlreq"
                    and item is not None
                    and timestamp == timestamp_for(item_id)
                    and hmac.compare_digest(str(signature), signature_for(item_id))
                    and item_id not in faults.drop_rows
                )
                url = item.publisher_url if valid and item is not None else None
            except (ValueError, TypeError):
                pass
            if url is None:
                rows.append(["wrb.fr", "Fbv4je", None, None, None, [3], str(request_id)])
            else:
                payload = json.dumps(["garturlres", url, 1], separators=(",", ":"))
                rows.append(["wrb.fr", "Fbv4je", payload, None, None, None, str(request_id)])
        if faults.reorder:
            rows.reverse()
        tail: list[list[object]] = [["di", 57], ["af.httprm", 56, "-7041829173461652016", 9]]
        self._send(200, rpc_reply(rows, tail, faults.framing), "application/json; charset=utf-8")

    def _send(
        self, status: int, body: bytes, content_type: str = "", headers: dict[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def article_page(item: Item, with_attributes: bool, size: int) -> bytes:
    """Google's article page: scripts first, the element with the signature near the end."""
    head = (
        '<!doctype html><html lang="zh-TW" dir="ltr"><head><meta charset="utf-8">'
        f"<title>{item.title} - Google 新聞</title></head><body>"
    )
    filler = _filler(size)
    attributes = (
        f' data-n-a-id="{item.item_id}" data-n-a-ts="{timestamp_for(item.item_id)}"'
        f' data-n-a-sg="{signature_for(item.item_id)}"'
        if with_attributes
        else f' data-n-au="{item.item_id}"'
    )
    element = (
        '<c-wiz jsrenderer="ZbWnte" jsmodel="hc6Ubd" class="zQTmif SSPGKf" data-p="%.@.[]">'
        f'<div jscontroller="aLI87" jsaction="rcuQ6b:npT2md" data-n-a-ia="1"{attributes}>'
        f"<p>正在前往 {item.publisher} 的報導：{item.title}</p></div></c-wiz>"
    )
    return (head + filler + element + "<script>window.WIZ_global_data={}</script></body></html>").encode()


@functools.cache
def _filler(size: int) -> str:
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(_FILLER % (len(parts), len(parts) * 7919, len(parts)))
        total += len(parts[-1])
    return "".join(parts)


def rpc_reply(rows: list[list[object]], tail: list[list[object]], framing: str) -> bytes:
    """`)]}'` and the rows: one array (`plain`), or one chunk per row plus the closing `e` chunk."""
    if framing == "plain":
        return (")]}'\n\n" + json.dumps(rows + tail, ensure_ascii=False)).encode()
    chunks = [json.dumps([row], ensure_ascii=False) for row in rows] + [
        json.dumps(tail),
        json.dumps([["e", 4, None, None, 200 + len(rows)]]),
    ]
    # Google counts a chunk's length in UTF-16 code units, including the newline before it.
    framed = "".join(f"{len(chunk.encode('utf-16-le')) // 2 + 1}\n{chunk}\n" for chunk in chunks)
    return (")]}'\n\n" + framed).encode()


class FakeGoogleNews(ServedFake[_Server]):
    """The fake on 127.0.0.1 and an ephemeral port; `with FakeGoogleNews() as google: ...`."""

    thread_name = "fake-google-news"

    def __init__(self, faults: Faults | None = None, page_bytes: int = 600_000) -> None:
        self.state = _State(faults=faults or Faults(), page_bytes=page_bytes)

    def _build_server(self) -> _Server:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.state = self.state
        server.origin = f"http://127.0.0.1:{server.server_address[1]}"
        return server

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def allow_entry(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def faults(self) -> Faults:
        return self.state.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self.state.faults = faults

    def add(self, publisher_url: str, title: str, publisher: str, published: str, *queries: str) -> str:
        """An item found by the searches (all, or those named); returns its link as the feed has it."""
        item_id = opaque_id(publisher_url)
        site = "{0.scheme}://{0.netloc}".format(urlsplit(publisher_url))
        self.state.items[item_id] = Item(item_id, publisher_url, title, publisher, site, published, queries)
        return f"{self.origin}/rss/articles/{item_id}?oc=5"

    @property
    def requests(self) -> list[Seen]:
        with self.state.lock:
            return list(self.state.requests)

    def count(self, kind: str) -> int:
        """Requests of one kind: `search`, `page` (article pages) or `rpc`."""

        def kind_of(seen: Seen) -> str:
            if seen.path == "/rss/search":
                return "search"
            if seen.method == "POST":
                return "rpc"
            return "page" if "/articles/" in seen.path else "other"

        return sum(kind_of(seen) == kind for seen in self.requests)

    def ids_per_rpc(self) -> list[int]:
        """How many ids each RPC POST carried."""
        counts = []
        for seen in self.requests:
            if seen.method == "POST":
                counts.append(len(json.loads(parse_qs(seen.body.decode())["f.req"][0])[0]))
        return counts


@contextmanager
def fake_google_news(faults: Faults | None = None, page_bytes: int = 600_000) -> Iterator[FakeGoogleNews]:
    with FakeGoogleNews(faults, page_bytes) as google:
        yield google
