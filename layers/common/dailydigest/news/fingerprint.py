"""What identifies a story across days: its canonical URLs, key terms and facts.

- key terms: CJK bigrams and latin words from titles and leads, the topic's own names left out,
  balanced across scripts (each script's most frequent terms take turns), so a story reported in
  Chinese and English keeps its Chinese terms next to the names and figures both share;
- facts: what changes when there is news, and what a report in another language shares: figures
  and versioned names (`235b`, `0.32`, `qwen4.5`, `128k`), calendar dates (`date:12-15`), and
  named entities (capitalised latin names inside a sentence: `horizon`, `azure`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dailydigest.models.article import Article
from dailydigest.news.text import ENGLISH_STOPWORDS, is_cjk, lead, split_sentences, tokens
from dailydigest.news.urls import canonical_url

KEY_TERMS = 40
MAX_TOKEN_CHARS = 64
"""Longer "words" are hashes or encoded blobs, not names or figures; kept out so no page can make
the ledger fail its own limits (the stories would be stored and the ledger never written)."""
MAX_URL_CHARS = 2_100
_LEAD_CHARS = 600

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_ISO_DATE = re.compile(r"\b(?:19|20)\d\d[-/.](\d{1,2})[-/.](\d{1,2})\b")
_CJK_DATE = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日號号]")
_EN_DATE = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b")
_NAME = re.compile(r"\b[A-Z][A-Za-z]*[a-z][A-Za-z]*\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# Capitalised words that are not names: calendar words and sentence-openers of news prose.
_NOT_NAMES = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
        "yesterday", "tomorrow", *_MONTHS, "chief", "executive", "ceo", "company", "team",
    }
) | ENGLISH_STOPWORDS  # fmt: skip


@dataclass(frozen=True)
class Fingerprint:
    urls: frozenset[str]
    terms: tuple[str, ...]
    """Key terms, most frequent first, the scripts taking turns."""
    facts: frozenset[str]


def is_date_like(token: str) -> bool:
    """Bare day numbers and years: every report has them, so they tell no news apart."""
    return token.isdigit() and (int(token) < 32 or 1900 <= int(token) <= 2100)


def figures(text: str) -> set[str]:
    """Latin tokens holding a digit (figures, sizes, versions), except bare years and small numbers."""
    return {
        token
        for token in tokens(text)
        if token.isascii() and any(c.isdigit() for c in token) and not is_date_like(token)
        if len(token) <= MAX_TOKEN_CHARS
    }


def dates(text: str) -> set[str]:
    """Calendar dates named in the text, as `date:MM-DD` (the year is rarely written in news)."""
    found: set[tuple[int, int]] = set()
    found.update((int(m), int(d)) for m, d in _ISO_DATE.findall(text))
    found.update((int(m), int(d)) for m, d in _CJK_DATE.findall(text))
    found.update(
        (_MONTHS[name.lower()], int(d)) for name, d in _EN_DATE.findall(text) if name.lower() in _MONTHS
    )
    return {f"date:{m:02d}-{d:02d}" for m, d in found if 1 <= m <= 12 and 1 <= d <= 31}


def names(text: str, ignore: frozenset[str] = frozenset()) -> set[str]:
    """Capitalised latin names: anywhere in a Chinese sentence, after the first word in an English one
    (where every sentence opens with a capital)."""
    found: set[str] = set()
    for sentence in split_sentences(text):
        chinese = any(is_cjk(char) for char in sentence)
        words = _WORD.findall(sentence)
        if not chinese and sum(word[0].isupper() for word in words) > len(words) / 2:
            continue  # a heading in Title Case: its capitals are style, not names
        for match in _NAME.finditer(sentence):
            if not chinese and not sentence[: match.start()].strip(" \"'“‘([「"):
                continue  # the sentence's opening word
            word = match.group().lower()
            # The topic's own names (as `tokens` folds them) say nothing about which story it is.
            if (
                word not in _NOT_NAMES
                and 2 < len(word) <= MAX_TOKEN_CHARS
                and not ignore.intersection(tokens(word))
            ):
                found.add(word)
    return found


def article_facts(article: Article, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """The article's figures, dates and names; its own publication date (a dateline) left out, and
    names taken from the body only (headlines are often in Title Case)."""
    text = f"{article.title}\n{article.body}"
    own_day = {f"date:{p.month:02d}-{p.day:02d}"} if (p := article.published) else set()
    return frozenset(figures(text) | (dates(text) - own_day) | names(article.body, ignore))


def facts(text: str) -> set[str]:
    """The figures, dates and names of a text."""
    return figures(text) | dates(text) | names(text)


def _article_terms(article: Article, ignore: frozenset[str]) -> list[str]:
    text = f"{article.title}\n{lead(article.body, _LEAD_CHARS)}"
    return [t for t in tokens(text) if t not in ignore and not is_date_like(t) and len(t) <= MAX_TOKEN_CHARS]


def script(term: str) -> str:
    return "cjk" if any(is_cjk(char) for char in term) else "latin"


def balanced_terms(
    counts: Counter[str], first_seen: dict[str, int], limit: int = KEY_TERMS
) -> tuple[str, ...]:
    """The `limit` key terms: each script's terms ranked by count (ties: first seen), the scripts taking
    turns, so ties never favour one script over the other (latin sorts before CJK by code point)."""
    ranked: dict[str, list[str]] = {}
    for term in sorted(counts, key=lambda t: (-counts[t], first_seen[t])):
        ranked.setdefault(script(term), []).append(term)
    queues = [ranked[name] for name in sorted(ranked)]
    chosen: list[str] = []
    depth = 0
    while len(chosen) < limit and any(depth < len(queue) for queue in queues):
        chosen.extend(queue[depth] for queue in queues if depth < len(queue))
        depth += 1
    return tuple(chosen[:limit])


def fingerprint(articles: Sequence[Article], ignore: frozenset[str]) -> Fingerprint:
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for article in articles:
        terms = _article_terms(article, ignore)
        for term in terms:
            first_seen.setdefault(term, len(first_seen))
        # Each article counts a term once, so a long report does not outweigh three short ones.
        counts.update(set(terms))
    return Fingerprint(
        urls=frozenset(u for u in (canonical_url(str(a.url)) for a in articles) if len(u) <= MAX_URL_CHARS),
        terms=balanced_terms(counts, first_seen),
        facts=frozenset(fact for article in articles for fact in article_facts(article, ignore)),
    )


def overlap(left: Iterable[str], right: Iterable[str]) -> float:
    """|A ∩ B| / min(|A|, |B|): how much of the smaller set the other one holds."""
    a, b = set(left), set(right)
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
