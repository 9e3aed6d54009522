"""How the resolver treats Google: walls recognised, Retry-After honoured, penalties kept in the
store, at most two page GETs per item, resolutions cached; and the run-scoped page cache."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import pytest

from dailydigest.models.article import Article, Story
from dailydigest.news.gather import prefer_resolved
from dailydigest.ports import FetchFailure, WebRequest, WebResponse
from dailydigest.sources.google_news_links import edition_for
from dailydigest.sources.google_news_resolver import (
    DEFAULT_PENALTY,
    GoogleSession,
    LinkResolver,
    _retry_after,
    wall_of,
)
from dailydigest.store import keys
from dailydigest.web.cache import PageCache
from tests.fakes import MemoryStore

ROOT = "https://news.google.com"
NOW = dt.datetime(2026, 11, 27, 23, 0, tzinfo=dt.UTC)


class ScriptedWeb:
    """A BatchWebClient answering from a function of the request, recording every request."""

    def __init__(self, answer: object) -> None:
        self.answer = answer
        self.asked: list[WebRequest] = []

    def get(self, url: str) -> WebResponse:
        result = self.get_many([WebRequest(url)])[0]
        assert isinstance(result, WebResponse)
        return result

    def get_many(self, requests: Sequence[WebRequest]) -> list[WebResponse | FetchFailure]:
        self.asked.extend(requests)
        return [self.answer(request) for request in requests]  # type: ignore[operator]

    def describe(self) -> str:
        return "scripted"


def _response(status: int, url: str = ROOT + "/rss/articles/x", **headers: str) -> WebResponse:
    return WebResponse(
        url, status, "text/html", b"", tuple((k.lower().replace("_", "-"), v) for k, v in headers.items())
    )


def _page_at(url: str, body: bytes, content_type: str = "text/html") -> WebResponse:
    return WebResponse(url, 200, content_type, body)


CONSENT = "https://consent.google.com/ml?continue=https://news.google.com/x&gl=DE"
UNUSUAL = b"<p>Our systems have detected unusual traffic from your computer network.</p>"


@pytest.mark.parametrize(
    ("response", "wall"),
    [
        (_response(302, location=CONSENT), "consent page"),
        (_response(302, location="https://www.google.com/sorry/index?continue=x"), "unusual traffic page"),
        (_page_at("https://www.google.com/sorry/index?q=1", b"<html>sorry</html>"), "unusual traffic page"),
        (_page_at(ROOT + "/x", UNUSUAL), "unusual traffic page"),
        (_page_at(ROOT + "/x", b'<form action="https://consent.google.com/save">'), "consent page"),
        (_response(302, location="/articles/x"), ""),
        (_page_at(ROOT + "/x", b'<div data-n-a-sg="s" data-n-a-ts="1">' + UNUSUAL), ""),
        (_page_at(ROOT + "/rss", b"<title>" + UNUSUAL + b"</title>", "application/xml"), ""),
    ],
)
def test_walls_are_recognised(response: WebResponse, wall: str) -> None:
    assert wall_of(response, ROOT) == wall


@pytest.mark.parametrize(
    ("value", "delay"),
    [
        ("120", dt.timedelta(seconds=120)),
        ("Fri, 27 Nov 2026 23:30:00 GMT", dt.timedelta(minutes=30)),
        ("Fri, 27 Nov 2026 22:00:00 GMT", dt.timedelta(0)),
        ("", DEFAULT_PENALTY),
        ("soon", DEFAULT_PENALTY),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(value: str, delay: dt.timedelta) -> None:
    assert _retry_after(value, NOW) == delay


def test_a_429_stops_the_run_and_is_kept_in_the_store() -> None:
    # Given Google answers 429 with Retry-After: 600
    store = MemoryStore()
    web = ScriptedWeb(lambda request: _response(429, request.url, retry_after="600"))
    session = GoogleSession(web, ROOT, lambda: NOW, store)

    # When two requests are made, one after the other
    session.fetch([WebRequest(ROOT + "/rss/search?q=a")])
    second = session.fetch([WebRequest(ROOT + "/rss/search?q=b")])

    # Then only the first was sent, and the penalty is stored for the runs that follow
    assert [r.url for r in web.asked] == [ROOT + "/rss/search?q=a"]
    assert isinstance(second[0], FetchFailure) and "not asked" in second[0].reason
    stored = json.loads(store.get(keys.google_news_penalty_key()))
    assert dt.datetime.fromisoformat(stored["until"]) == NOW + dt.timedelta(minutes=10)
    assert GoogleSession(web, ROOT, lambda: NOW + dt.timedelta(minutes=9), store).stopped
    assert not GoogleSession(web, ROOT, lambda: NOW + dt.timedelta(minutes=11), store).stopped


def test_a_consent_wall_stops_the_run_but_leaves_no_penalty() -> None:
    store = MemoryStore()
    web = ScriptedWeb(lambda request: _response(302, request.url, location="https://consent.google.com/ml"))
    session = GoogleSession(web, ROOT, lambda: NOW, store)

    session.fetch([WebRequest(ROOT + "/rss/articles/x")])

    assert session.stopped == "consent page"
    assert not store.exists(keys.google_news_penalty_key())


def _page(item: str) -> bytes:
    attributes = f'data-n-a-id="{item}" data-n-a-sg="AZ5rSig{item}" data-n-a-ts="1764000000"'
    return f'<c-wiz><div jscontroller="x" {attributes}>'.encode()


def _reply(request: WebRequest) -> WebResponse:
    envelopes = json.loads(__import__("urllib.parse").parse.parse_qs(request.body.decode())["f.req"][0])[0]
    rows = []
    for _, arguments, _, request_id in envelopes:
        item = json.loads(arguments)[2]
        rows.append(
            [
                "wrb.fr",
                "Fbv4je",
                json.dumps(["garturlres", f"https://pub.example/{item}", 1]),
                None,
                None,
                None,
                request_id,
            ]
        )
    return WebResponse(request.url, 200, "application/json", (")]}'\n\n" + json.dumps(rows)).encode())


def test_a_redirect_on_google_news_is_the_second_and_last_get() -> None:
    # Given the RSS page redirects (on Google News itself) to a page that has no signature either
    def answer(request: WebRequest) -> WebResponse:
        if request.method == "POST":
            return _reply(request)
        if "/rss/articles/" in request.url:
            return _response(302, request.url, location="/articles/CBMiAAAAAAAA?hl=en")
        return WebResponse(request.url, 200, "text/html", b"<html>changed</html>")

    web = ScriptedWeb(answer)
    resolver = LinkResolver(GoogleSession(web, ROOT, lambda: NOW), edition_for("en"))

    resolution = resolver.resolve(["CBMiAAAAAAAA"])

    assert [r.url for r in web.asked] == [
        ROOT + "/rss/articles/CBMiAAAAAAAA?hl=en-US&gl=US&ceid=US:en",
        ROOT + "/articles/CBMiAAAAAAAA?hl=en",
    ]
    assert resolution.urls == {}


def test_resolutions_are_cached_and_batched() -> None:
    store = MemoryStore()
    items = [f"CBMi{n:08d}" for n in range(7)]

    def answer(request: WebRequest) -> WebResponse:
        if request.method == "POST":
            return _reply(request)
        item = request.url.split("/articles/")[1].split("?")[0]
        return WebResponse(request.url, 200, "text/html", _page(item))

    web = ScriptedWeb(answer)
    session = GoogleSession(web, ROOT, lambda: NOW, store)
    first = LinkResolver(session, edition_for("en"), batch_size=5).resolve(items)

    # Then 7 page GETs (in waves), 2 POSTs (5 + 2 ids), every id at its publisher
    assert sum(r.method == "GET" for r in web.asked) == 7
    assert [r.method for r in web.asked].count("POST") == 2
    assert first.urls == {item: f"https://pub.example/{item}" for item in items}

    # And a second run reads them from the store without asking Google
    asked = len(web.asked)
    again = LinkResolver(GoogleSession(web, ROOT, lambda: NOW, store), edition_for("en")).resolve(items)
    assert again.urls == first.urls and again.from_store == 7
    assert len(web.asked) == asked


def test_an_rpc_answer_that_points_back_at_google_is_refused() -> None:
    def answer(request: WebRequest) -> WebResponse:
        if request.method == "POST":
            rows = [
                [
                    "wrb.fr",
                    "Fbv4je",
                    json.dumps(["garturlres", ROOT + "/articles/loop", 1]),
                    None,
                    None,
                    None,
                    "1",
                ]
            ]
            return WebResponse(request.url, 200, "application/json", (")]}'\n" + json.dumps(rows)).encode())
        return WebResponse(request.url, 200, "text/html", _page("CBMi00000001"))

    resolver = LinkResolver(GoogleSession(ScriptedWeb(answer), ROOT, lambda: NOW), edition_for("en"))
    assert resolver.resolve(["CBMi00000001"]).urls == {}


# --- the page cache ---------------------------------------------------------------------------------


def test_the_page_cache_downloads_each_url_once_per_run() -> None:
    web = ScriptedWeb(lambda request: WebResponse(request.url, 200, "text/html", b"<p>page</p>"))
    cache = PageCache(web)

    cache.get_many([WebRequest("https://a.example/1", ("text/html",)), WebRequest("https://a.example/1")])
    cache.get_many([WebRequest("https://a.example/1", ("text/html",)), WebRequest("https://a.example/2")])
    cache.get("https://a.example/2")

    assert [r.url for r in web.asked] == ["https://a.example/1", "https://a.example/2"]
    assert (cache.downloads, cache.hits) == (2, 3)


def test_a_cached_page_is_judged_by_each_request() -> None:
    web = ScriptedWeb(lambda request: WebResponse(request.url, 200, "application/xml", b"x" * 100))
    cache = PageCache(web)
    cache.get_many([WebRequest("https://a.example/feed")])

    as_page, too_small = cache.get_many(
        [
            WebRequest("https://a.example/feed", ("text/html",)),
            WebRequest("https://a.example/feed", max_bytes=10),
        ]
    )

    assert isinstance(as_page, FetchFailure) and "content type" in as_page.reason
    assert isinstance(too_small, FetchFailure) and "too large" in too_small.reason
    assert len(web.asked) == 1


def test_failures_are_remembered_and_posts_never_cached() -> None:
    web = ScriptedWeb(lambda request: FetchFailure(request.url, "connect timed out"))
    cache = PageCache(web)
    post = WebRequest("https://a.example/rpc", method="POST", body=b"f.req=1")

    cache.get_many([WebRequest("https://a.example/dead"), post])
    cache.get_many([WebRequest("https://a.example/dead"), post])

    assert [r.url for r in web.asked] == [
        "https://a.example/dead",
        "https://a.example/rpc",
        "https://a.example/rpc",
    ]


def test_the_cache_keeps_to_its_byte_budget() -> None:
    web = ScriptedWeb(lambda request: WebResponse(request.url, 200, "text/html", b"x" * 400))
    cache = PageCache(web, budget_bytes=1_000)
    cache.get_many([WebRequest(f"https://a.example/{n}") for n in range(3)])

    cache.get_many([WebRequest("https://a.example/0"), WebRequest("https://a.example/2")])

    # The oldest page left to make room; the newest two stayed
    assert [r.url for r in web.asked][3:] == ["https://a.example/0"]


# --- unresolved items in the day's stories ---------------------------------------------------------------


def _article(url: str, unresolved: bool = False) -> Article:
    return Article.model_validate({"url": url, "title": "Nimbus 3", "summary": "s", "unresolved": unresolved})


def test_an_unresolved_item_leaves_a_story_another_item_resolved_and_comes_last_otherwise() -> None:
    mixed = Story(
        id="mixed",
        title="t",
        articles=(_article(ROOT + "/articles/a", True), _article("https://p.example/1")),
    )
    alone = Story(id="alone", title="t", articles=(_article(ROOT + "/articles/b", True),))
    full = Story(id="full", title="t", articles=(_article("https://p.example/2"),))

    ranked = prefer_resolved([alone, mixed, full])

    assert [story.id for story in ranked] == ["mixed", "full", "alone"]
    assert [str(a.url) for a in ranked[0].articles] == ["https://p.example/1"]
