"""From raw articles to the day's stories: window, dedup, clustering, cap.

Pure domain code: sources are ports, everything else is plain Python.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import parse_qsl, unquote, unquote_plus, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from dailydigest.models.article import Article, Story, StoryBundle
from dailydigest.models.topic import Topic
from dailydigest.news.text import guess_language, jaccard, latin_words, lead, normalize, shingles, tokens
from dailydigest.ports import ArticleSource

logger = logging.getLogger(__name__)

NEAR_DUPLICATE_JACCARD = 0.6
"""Bodies sharing this share of 5-character shingles are copies of one another (syndication)."""
SAME_STORY_SIMILARITY = 0.14
"""Average title+lead similarity at which two groups of articles report the same event.

Measured on the sample web: reports of one event score 0.17 and up, unrelated Qwen news 0.10 at most.
"""
MAX_ARTICLES_TO_CLUSTER = 200
"""Clustering is quadratic: beyond this many articles a day, only the newest are considered."""
_LEAD_CHARS = 500
_STORY_MAX_ARTICLES = 50  # Story.articles' own limit
_BACKGROUND_DOCS = 10

_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref", "ref_src", "ref_url",
        "spm", "scm", "cmpid", "ocid", "soc_src", "soc_trk", "ncid", "sr_share", "amp", "output",
        "outputtype",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmsr")
_MOBILE_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
GOOGLE_NEWS_HOST = "news.google.com"


class StoryMemory(Protocol):
    """What earlier days covered (the story ledger)."""

    def screen(self, stories: Sequence[Story]) -> list[Story]:
        """The stories not covered before, plus updates (is_update) that bring new information."""
        ...


@dataclass(frozen=True)
class Window:
    """The half-open interval (start, end] of publication times a day's digest covers."""

    start: dt.datetime
    end: dt.datetime


def window_for(topic: Topic, day: dt.date) -> Window:
    """The window ends at the next midnight in the topic's time zone and spans window_hours."""
    end = dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo(topic.schedule.timezone)
    )
    return Window(start=end - dt.timedelta(hours=topic.window_hours), end=end)


def published_at(article: Article) -> dt.datetime | None:
    """The article's publication time, time zone aware (a naive time is UTC); None when undated."""
    published = article.published
    if published is not None and published.tzinfo is None:
        return published.replace(tzinfo=dt.UTC)
    return published


def published_timestamp(article: Article, undated: float) -> float:
    """The publication time as a POSIX timestamp (to sort by); `undated` for an undated article."""
    published = published_at(article)
    return undated if published is None else published.timestamp()


def in_window(article: Article, window: Window) -> bool:
    """Undated articles are kept: a feed that omits dates still lists current news."""
    published = published_at(article)
    return published is None or window.start < published <= window.end


def gather_stories(
    topic: Topic,
    day: dt.date,
    sources: Sequence[ArticleSource],
    memory: StoryMemory | None = None,
    failed_sources: list[str] | None = None,
) -> StoryBundle:
    """The day's stories for a topic: windowed, deduplicated, clustered, screened, ranked and capped.

    With a memory (the story ledger), stories covered on earlier days are left out unless they
    bring new information; those come after the day's new stories, marked as updates. A source
    that raised is skipped and, given `failed_sources`, named there with its error.
    """
    collected = _collect(topic, day, sources, failed_sources)
    window = window_for(topic, day)
    recent = [article for article in collected if in_window(article, window)]
    unique = drop_near_duplicates(most_recent(drop_aggregator_copies(drop_duplicate_urls(recent))))
    stories = rank_stories(build_stories(unique, ignore=topic_terms(topic)))
    screened = rank_stories(memory.screen(stories)) if memory is not None else stories
    capped = cap_articles(screened, topic.max_articles)
    logger.info(
        "stories gathered",
        extra={
            "topic": topic.slug,
            "date": day.isoformat(),
            "collected": len(collected),
            "in_window": len(recent),
            "unique": len(unique),
            "clustered": len(stories),
            "covered_before": len(stories) - len(screened),
            "updates": sum(story.is_update for story in screened),
            "stories": len(capped),
            "articles": sum(len(story.articles) for story in capped),
        },
    )
    return StoryBundle(topic=topic, date=day, stories=tuple(capped))


def usable_articles(bundle: StoryBundle) -> int:
    """Articles with something to summarize (their page text or at least a feed snippet)."""
    return sum(1 for story in bundle.stories for article in story.articles if article.body.strip())


def _collect(
    topic: Topic, day: dt.date, sources: Sequence[ArticleSource], failed: list[str] | None
) -> list[Article]:
    articles: list[Article] = []
    for source in sources:
        try:
            articles.extend(source.articles(topic, day))
        except Exception as exc:  # one failing source (an API outage) must not cost the other sources' news
            logger.exception("source failed", extra={"source": type(source).__name__, "topic": topic.slug})
            if failed is not None:
                failed.append(f"{type(source).__name__}: {str(exc)[:200] or type(exc).__name__}")
    return articles


# --- URLs -------------------------------------------------------------------------------------------


def _is_tracking(key: str, value: str) -> bool:
    folded = key.lower()
    if folded in ("output", "outputtype"):
        return value.lower() == "amp"
    return folded in _TRACKING_PARAMS or folded.startswith(_TRACKING_PREFIXES)


def clean_url(url: str) -> str:
    """The URL without tracking parameters and fragment: still a working link, fit to cite.

    The parameters kept are kept as written: re-encoding them would turn `?12345` into `?12345=`
    or `a=1;b=2` into `a=1%3Bb%3D2`, links some sites no longer answer.
    """
    parts = urlsplit(url.strip())
    kept = [piece for piece in parts.query.split("&") if piece and not _is_tracking_piece(piece)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "&".join(kept), ""))


def _is_tracking_piece(piece: str) -> bool:
    key, _, value = piece.partition("=")
    return _is_tracking(unquote_plus(key), unquote_plus(value))


def _amp_cache_origin(url: str) -> str | None:
    # https://www-news-example.cdn.ampproject.org/c/s/www.news.example/a.html -> https://www.news.example/a.html
    parts = urlsplit(url.strip())
    if not (parts.hostname or "").lower().endswith(".cdn.ampproject.org"):
        return None
    segments = parts.path.split("/")
    if len(segments) < 4 or segments[1] not in ("c", "v", "i"):
        return None
    secure = segments[2] == "s"
    rest = "/".join(segments[3:] if secure else segments[2:])
    # The cache's own viewer parameters (amp_js_v, amp_gsa, usqp, ...) are not part of the page.
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.startswith(("amp_", "usqp"))
        ]
    )
    return f"{'https' if secure else 'http'}://{unquote(rest)}" + (f"?{query}" if query else "")


def is_aggregator_link(url: str) -> bool:
    """A link to an aggregator's own page (news.google.com), not to the publisher's article."""
    return urlsplit(url).hostname == GOOGLE_NEWS_HOST


def google_news_item(path: str) -> str | None:
    """The item token at the end of a Google News link's path (`/rss/articles/ID`, `/read/ID`)."""
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) >= 2 and segments[-2] in ("articles", "read"):
        return segments[-1]
    return None


def canonical_url(url: str) -> str:
    """The identity of a page: scheme, `www.`/`m.` hosts, AMP variants and AMP cache copies,
    trailing slash and tracking folded; Google News's several links to one item are one."""
    url = _amp_cache_origin(url) or url
    parts = urlsplit(clean_url(url))
    host = (parts.hostname or "").lower()
    if host == GOOGLE_NEWS_HOST and (item := google_news_item(parts.path)):
        return f"https://{GOOGLE_NEWS_HOST}/articles/{item}"
    for prefix in _MOBILE_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    segments = [segment for segment in parts.path.split("/") if segment and segment.lower() != "amp"]
    path = "/" + "/".join(segments)
    for amp_suffix in (".amp.html", ".amp"):
        if path.lower().endswith(amp_suffix):
            path = path[: -len(amp_suffix)] + (".html" if amp_suffix == ".amp.html" else "")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit(("https", host, path, query, ""))


# --- duplicates -------------------------------------------------------------------------------------


def _preference(article: Article) -> tuple[float, int, int, str]:
    # Earliest first (the original beats the repost), then the fuller text, then the plainer URL.
    return (
        published_timestamp(article, math.inf),
        -len(article.body),
        len(str(article.url)),
        str(article.url),
    )


def most_recent(articles: Sequence[Article], limit: int = MAX_ARTICLES_TO_CLUSTER) -> list[Article]:
    """The newest articles (undated ones count as new), so that a flood of news stays quick to cluster."""
    if len(articles) <= limit:
        return list(articles)
    logger.info("oldest articles left out", extra={"articles": len(articles), "kept": limit})
    return sorted(articles, key=lambda a: (-published_timestamp(a, math.inf), str(a.url)))[:limit]


def _with_clean_url(article: Article, fallback_published: dt.datetime | None) -> Article:
    published = article.published or fallback_published
    try:
        return Article.model_validate(
            {**article.model_dump(), "url": clean_url(str(article.url)), "published": published}
        )
    except ValidationError:  # an odd URL that only validated as it came: keep it as it came
        return article.model_copy(update={"published": published})


def drop_duplicate_urls(articles: Iterable[Article]) -> list[Article]:
    """One article per canonical URL (the preferred copy), with tracking parameters removed."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        groups.setdefault(canonical_url(str(article.url)), []).append(article)
    kept = []
    for copies in groups.values():
        best = min(copies, key=_preference)
        dated = [copy.published for copy in copies if copy.published is not None]
        kept.append(_with_clean_url(best, min(dated) if dated else None))
    return kept


def _headline_key(title: str) -> str:
    return "".join(char for char in normalize(title) if char.isalnum())


def drop_aggregator_copies(articles: Sequence[Article]) -> list[Article]:
    """Drop an aggregator's item (an unresolved Google News link) when the same headline is also
    here at the publisher's own address: the publisher's copy has the real link and the full text."""
    direct = {_headline_key(a.title) for a in articles if not is_aggregator_link(str(a.url))}
    kept = []
    for article in articles:
        if is_aggregator_link(str(article.url)) and _headline_key(article.title) in direct:
            logger.info("aggregator copy dropped", extra={"url": str(article.url), "title": article.title})
            continue
        kept.append(article)
    return kept


def drop_near_duplicates(
    articles: Sequence[Article], threshold: float = NEAR_DUPLICATE_JACCARD
) -> list[Article]:
    """Drop articles whose text is a near copy of a preferred one (same wire story, light edits)."""
    ordered = sorted(articles, key=_preference)
    kept: list[tuple[Article, set[str]]] = []
    for article in ordered:
        fingerprint = shingles(article.body or article.title)
        if any(jaccard(fingerprint, other) >= threshold for _, other in kept):
            logger.info("near duplicate dropped", extra={"url": str(article.url)})
            continue
        kept.append((article, fingerprint))
    return [article for article, _ in kept]


# --- clustering -------------------------------------------------------------------------------------


def topic_terms(topic: Topic) -> frozenset[str]:
    # Every article mentions the topic itself; those terms say nothing about which event it reports.
    return frozenset(term for text in (*topic.queries, topic.name, topic.slug) for term in tokens(text))


def _terms(article: Article, ignore: frozenset[str]) -> frozenset[str]:
    text = f"{article.title}\n{lead(article.body, _LEAD_CHARS)}"
    return frozenset(term for term in tokens(text) if term not in ignore)


def _weighted_cosine(left: frozenset[str], right: frozenset[str], weight: dict[str, float]) -> float:
    if not left or not right:
        return 0.0
    shared = sum(weight[term] for term in left & right)
    return shared / math.sqrt(sum(weight[term] for term in left) * sum(weight[term] for term in right))


class _Similarity:
    """Pairwise similarity of title+lead term sets, weighted by rarity (IDF).

    The IDF counts _BACKGROUND_DOCS imaginary articles that share no term, so that in a handful
    of articles the terms they all share (one event's names and numbers) are not weighted away.
    Across scripts, the latin terms alone are compared too: an English and a Chinese report of
    one release meet on the names and numbers they share (model names, sizes, scores).
    """

    def __init__(self, articles: Sequence[Article], ignore: frozenset[str]) -> None:
        self.terms = [_terms(article, ignore) for article in articles]
        self.latin = [frozenset(term for term in terms if term.isascii()) for terms in self.terms]
        document_frequency: Counter[str] = Counter(term for terms in self.terms for term in terms)
        documents = len(articles) + _BACKGROUND_DOCS
        self.weight = {term: math.log((documents + 1) / (df + 1)) for term, df in document_frequency.items()}
        self.chinese = [guess_language(f"{a.title} {lead(a.body, _LEAD_CHARS)}") == "zh" for a in articles]

    def __call__(self, i: int, j: int) -> float:
        score = _weighted_cosine(self.terms[i], self.terms[j], self.weight)
        if self.chinese[i] != self.chinese[j]:
            score = max(score, _weighted_cosine(self.latin[i], self.latin[j], self.weight))
        return score


def cluster_articles(
    articles: Sequence[Article],
    ignore: frozenset[str] = frozenset(),
    threshold: float = SAME_STORY_SIMILARITY,
) -> list[list[Article]]:
    """Group articles reporting the same event (average-link agglomerative clustering)."""
    ordered = sorted(articles, key=_preference)
    similarity = _Similarity(ordered, ignore)
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}
    # Sum of the pairwise similarities between two clusters; merging two clusters adds their sums.
    links = {(i, j): similarity(i, j) for i in range(len(ordered)) for j in range(i + 1, len(ordered))}

    def average(pair: tuple[int, int]) -> float:
        return links[pair] / (len(members[pair[0]]) * len(members[pair[1]]))

    while links:
        a, b = max(links, key=lambda pair: (average(pair), -pair[0], -pair[1]))
        if average((a, b)) < threshold:
            break
        members[a] = sorted(members[a] + members.pop(b))
        del links[(a, b)]
        for other in members:
            if other != a:
                links[_pair(a, other)] += links.pop(_pair(b, other))
    return [[ordered[i] for i in cluster] for cluster in members.values()]


def _pair(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


def story_id(anchor: Article) -> str:
    """A short, stable id: a few latin words of the title plus a hash of the anchor article's URL."""
    digest = hashlib.sha256(canonical_url(str(anchor.url)).encode()).hexdigest()[:10]
    words = ["".join(char for char in word if char.isalnum()) for word in latin_words(anchor.title)]
    slug = "-".join(word for word in words if word)[:40].strip("-")
    return f"{slug}-{digest}" if slug else digest


def build_stories(articles: Sequence[Article], ignore: frozenset[str] = frozenset()) -> list[Story]:
    """Stories from clustered articles; each story's first article is its earliest (its anchor)."""
    stories = []
    for cluster in cluster_articles(articles, ignore):
        # A story holds at most as many articles as a digest may cite; the earliest reports stay.
        members = sorted(cluster, key=_preference)[:_STORY_MAX_ARTICLES]
        anchor = members[0]
        stories.append(Story(id=story_id(anchor), title=anchor.title, articles=tuple(members)))
    return stories


def _latest(story: Story) -> float:
    return max(published_timestamp(article, -math.inf) for article in story.articles)


def rank_stories(stories: Iterable[Story]) -> list[Story]:
    """New stories before updates; then most-reported first, then most recent, then id (stable)."""
    return sorted(
        stories, key=lambda story: (story.is_update, -len(story.articles), -_latest(story), story.id)
    )


def cap_articles(stories: Sequence[Story], limit: int) -> list[Story]:
    """At most `limit` articles: whole stories in rank order first, then leading parts of the rest."""
    room = limit
    kept: dict[int, int] = {}
    for index, story in enumerate(stories):
        if len(story.articles) <= room:
            kept[index] = len(story.articles)
            room -= len(story.articles)
    for index, story in enumerate(stories):
        if room <= 0:
            break
        if index not in kept:
            kept[index] = min(room, len(story.articles))
            room -= kept[index]
    return [
        story
        if kept[index] == len(story.articles)
        else story.model_copy(update={"articles": story.articles[: kept[index]]})
        for index, story in enumerate(stories)
        if index in kept
    ]
