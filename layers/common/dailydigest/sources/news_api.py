"""ArticleSource over NewsAPI.org's `/v2/everything` search (optional: only with an API key).

Request: `GET {base}/v2/everything?q=(Qwen OR 通義千問)&from=…&to=…&language=zh&sortBy=publishedAt
&pageSize=50` with the key in the `X-Api-Key` header (never in the URL, so never in a log line).
Answer: `{"status": "ok", "articles": [{"source": {"name"}, "title", "description", "url",
"publishedAt", "content"}]}` or `{"status": "error", "code", "message"}`. NewsAPI's `content` is
cut at 200 characters, so each article's page is fetched for its full text like any feed item.
Documentation: https://newsapi.org/docs/endpoints/everything. Its free Developer plan is for
development only and delays articles by a day; production needs a paid plan.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from pydantic import ValidationError

from dailydigest.locales import facts_for
from dailydigest.models.article import Article
from dailydigest.models.topic import Topic
from dailydigest.news.gather import window_for
from dailydigest.news.text import guess_language, quoted_phrase
from dailydigest.ports import BatchWebClient, FetchFailure, WebClient, WebRequest
from dailydigest.settings import FetchSettings
from dailydigest.sources.feed import fill_text
from dailydigest.sources.feed_parse import fragment_text

logger = logging.getLogger(__name__)

NEWS_API_URL = FetchSettings().news_api_url
PAGE_SIZE = 50
MAX_QUERY_CHARS = 500  # NewsAPI's limit for q
_REMOVED = "[Removed]"  # NewsAPI's placeholder for withdrawn articles


class NewsApiSource:
    """Articles from one NewsAPI.org search over all of a topic's queries."""

    def __init__(
        self,
        web: WebClient,
        api_key: str,
        base_url: str = NEWS_API_URL,
        max_page_bytes: int = FetchSettings().max_bytes,
    ) -> None:
        self.web = web
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.max_page_bytes = max_page_bytes

    def search_url(self, topic: Topic, day: dt.date) -> str:
        window = window_for(topic, day)
        terms = [quoted_phrase(query) for query in topic.queries]
        query = " OR ".join(terms)
        while len(query) > MAX_QUERY_CHARS and len(terms) > 1:
            terms.pop()
            query = " OR ".join(terms)
        params = {
            "q": query[:MAX_QUERY_CHARS],
            "from": window.start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "to": window.end.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "language": facts_for(topic.locale).language,
            "sortBy": "publishedAt",
            "pageSize": str(PAGE_SIZE),
        }
        return f"{self.base_url}/v2/everything?{urlencode(params, quote_via=quote)}"

    def articles(self, topic: Topic, day: dt.date) -> list[Article]:
        if not topic.queries:
            return []
        if not isinstance(self.web, BatchWebClient):
            logger.warning("news api skipped", extra={"reason": "the web client cannot send the key header"})
            return []
        url = self.search_url(topic, day)
        request = WebRequest(url, ("application/json",), headers=(("X-Api-Key", self.api_key),))
        result = self.web.get_many([request])[0]
        if isinstance(result, FetchFailure):
            logger.warning("news api skipped", extra={"reason": result.reason[:200]})
            return []
        try:
            payload = json.loads(result.body)
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or payload.get("status") != "ok" or result.status != 200:
            detail = payload if isinstance(payload, dict) else {}
            logger.warning(
                "news api skipped",
                extra={
                    "status": result.status,
                    "code": str(detail.get("code", ""))[:80],
                    "reason": str(detail.get("message", "not a newsapi answer"))[:200],
                },
            )
            return []
        raw = payload.get("articles")
        found = [a for item in raw if (a := article_from_item(item, url))] if isinstance(raw, list) else []
        logger.info("news api read", extra={"topic": topic.slug, "articles": len(found)})
        return fill_text(self.web, found, window_for(topic, day), self.max_page_bytes)


def article_from_item(item: Any, search_url: str) -> Article | None:
    """An Article from one NewsAPI result (None for removed or unusable ones)."""
    if not isinstance(item, Mapping):
        return None
    title = fragment_text(str(item.get("title") or ""))[:300].strip()
    url = str(item.get("url") or "").strip()
    if not title or title == _REMOVED or not url.startswith(("http://", "https://")):
        return None
    source = item.get("source")
    publisher = fragment_text(str(source.get("name") or "")) if isinstance(source, Mapping) else ""
    # Never an unattributed source: without a name, the outlet is the site the article is on.
    publisher = publisher or (urlsplit(url).hostname or "")
    summary = fragment_text(str(item.get("description") or ""))[:5_000]
    try:
        return Article.model_validate(
            {
                "url": url,
                "title": title,
                "publisher": publisher[:200],
                "published": item.get("publishedAt") or None,
                "summary": summary,
                "language": guess_language(f"{title} {summary}"),
                "feed": search_url[:2_000],
            }
        )
    except ValidationError as exc:
        logger.warning("news api item skipped", extra={"url": url[:300], "reason": str(exc)[:200]})
        return None
