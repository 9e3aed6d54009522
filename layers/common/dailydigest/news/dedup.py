"""Copies of one page, and near copies of one text, reduced to the one article worth citing.

Both functions take articles in order of preference (gather's order: the earliest report first,
then the fuller text, then the plainer link) and keep the first of each set of copies.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from pydantic import ValidationError

from dailydigest.models.article import Article
from dailydigest.news.text import jaccard, shingles
from dailydigest.news.urls import canonical_url, clean_url, is_mobile_or_amp

logger = logging.getLogger(__name__)

NEAR_DUPLICATE_JACCARD = 0.6
"""Bodies sharing this share of 5-character shingles are copies of one another (syndication)."""


def _page_keys(article: Article) -> list[str]:
    # A page is known by the link that reached it and by the address it names as its own: an AMP
    # copy at /amp/123 and the article at /news/some-slug-123 meet on the canonical the AMP page names.
    keys = [canonical_url(str(article.url))]
    if article.canonical is not None:
        keys.append(canonical_url(str(article.canonical)))
    return keys


def _copies_of_one_page(articles: Sequence[Article]) -> list[list[Article]]:
    """Articles grouped by page (union of shared keys), each group in the input's order."""
    parent = list(range(len(articles)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    owner: dict[str, int] = {}
    for index, article in enumerate(articles):
        for key in _page_keys(article):
            if key in owner:
                first, second = sorted((root(owner[key]), root(index)))
                parent[second] = first
            else:
                owner[key] = index
    groups: dict[int, list[Article]] = {}
    for index, article in enumerate(articles):
        groups.setdefault(root(index), []).append(article)
    return [groups[key] for key in sorted(groups)]


def citation_url(copies: Sequence[Article]) -> str:
    """The address to cite for copies of one page: the canonical a page names (the preferred copy's
    first), else the first link that is not a mobile or AMP copy, else the preferred link; tracking removed.
    """
    declared = [str(copy.canonical) for copy in copies if copy.canonical is not None]
    if declared:
        return clean_url(declared[0])
    links = [str(copy.url) for copy in copies]
    plain = [link for link in links if not is_mobile_or_amp(link)]
    return clean_url((plain or links)[0])


def drop_duplicate_urls(articles: Sequence[Article]) -> list[Article]:
    """One article per page (the preferred copy), cited at the page's canonical address."""
    kept = []
    for copies in _copies_of_one_page(articles):
        best = copies[0]
        published = next((copy.published for copy in copies if copy.published is not None), None)
        kept.append(_cited_at(best, citation_url(copies), published))
    return kept


def _cited_at(article: Article, url: str, published: dt.datetime | None) -> Article:
    try:
        return Article.model_validate(
            {**article.model_dump(), "url": url, "published": article.published or published}
        )
    except ValidationError:  # an odd URL that only validated as it came: keep it as it came
        return article.model_copy(update={"published": article.published or published})


def drop_near_duplicates(
    articles: Sequence[Article], threshold: float = NEAR_DUPLICATE_JACCARD
) -> list[Article]:
    """Drop articles whose text is a near copy of an earlier one (same wire story, light edits)."""
    kept: list[tuple[Article, set[str]]] = []
    for article in articles:
        fingerprint = shingles(article.body or article.title)
        if any(jaccard(fingerprint, other) >= threshold for _, other in kept):
            logger.info("near duplicate dropped", extra={"url": str(article.url)})
            continue
        kept.append((article, fingerprint))
    return [article for article, _ in kept]
