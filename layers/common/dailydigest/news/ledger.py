"""Memory across days: a per-topic ledger of the stories earlier digests covered.

The ledger lives in the store at `ledger/{topic}.json`. Each entry fingerprints one story:

- the canonical URLs of its articles;
- its key terms (CJK bigrams and latin words from titles and leads, the topic's own names left out);
- its facts: figures and versioned names (`235b`, `0.32`, `qwen4.5`, `128k`), the tokens that
  change when there is news, and which a report in another language shares.

A story of the day matches an entry when they share an article URL or enough key terms (latin
terms alone across languages). A match is left out, unless it brings material new information:
an article not seen before that carries new facts (at least `MIN_NEW_FACTS` figures or versions
the entry never had, and at least `NEW_FACTS_SHARE` of that article's facts). It is then kept as
an update (`Story.is_update`) holding only those articles.

Only what was covered on days before the digest's day counts, so rerunning or backfilling a day
never hides that day's own stories: each entry keeps, per day, the URLs and facts that day added
(`coverage`), and a day is screened against the coverage of the days before it only. Entries
older than `RETENTION_DAYS` (counted from the newest day in the ledger) are dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from dailydigest.models.article import Article, Story
from dailydigest.models.topic import Topic
from dailydigest.models.types import ShortText, Slug
from dailydigest.news.gather import canonical_url, story_id, topic_terms
from dailydigest.news.text import is_cjk, lead, tokens
from dailydigest.ports import Store
from dailydigest.store.keys import ledger_key
from dailydigest.store.ops import read_if_present

logger = logging.getLogger(__name__)

SAME_STORY_OVERLAP = 0.2
"""Share of the smaller key-term set two fingerprints must share to be one story.

Measured on the sample web: reports of one story in one language share 0.25 to 0.42 of their key
terms (0.17 across languages, where the latin rule below applies), different stories 0.12 at most."""
SAME_STORY_LATIN_OVERLAP = 0.5
"""Across languages: the share of latin key terms (names, versions, figures) two reports share.
Reports of one story: 0.5 to 1.0. (Two different Chinese stories can share 0.6 of their few latin
terms, which is why this rule applies only when one side has no Chinese terms.)"""
MIN_NEW_FACTS = 3
NEW_FACTS_SHARE = 0.5
"""An update brings at least MIN_NEW_FACTS figures or versions not covered before, and they are at
least this share of its facts. Another outlet retelling a covered story adds 0 to 2 (a tenth to a
half of its figures): a detail it chose to quote, not news."""
RETENTION_DAYS = 30
KEY_TERMS = 40
_LEAD_CHARS = 600
_MAX_URLS, _MAX_TERMS, _MAX_FACTS, _MAX_DAYS, _MAX_IDS, _MAX_ENTRIES = 200, 160, 200, 60, 60, 2000
_MAX_URL_CHARS = 2_100
_MAX_TOKEN_CHARS = 64
"""Longer "words" are hashes or encoded blobs, not names or figures; kept out so no page can make
the ledger fail its own limits (the stories would be stored and the ledger never written)."""

StoryId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,64}$")]
Token = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Coverage(BaseModel):
    """What one day's digest added to a story: its article URLs and facts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    day: dt.date
    urls: Annotated[
        tuple[Annotated[str, StringConstraints(max_length=_MAX_URL_CHARS)], ...], Field(max_length=_MAX_URLS)
    ]
    facts: Annotated[tuple[Token, ...], Field(max_length=_MAX_FACTS)]


class LedgerEntry(BaseModel):
    """One story as covered so far: its ids, the days it ran, and its fingerprint."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    story_ids: Annotated[tuple[StoryId, ...], Field(min_length=1, max_length=_MAX_IDS)]
    title: ShortText
    days: Annotated[tuple[dt.date, ...], Field(min_length=1, max_length=_MAX_DAYS)]
    urls: Annotated[
        tuple[Annotated[str, StringConstraints(max_length=_MAX_URL_CHARS)], ...], Field(max_length=_MAX_URLS)
    ]
    terms: Annotated[tuple[Token, ...], Field(max_length=_MAX_TERMS)]
    facts: Annotated[tuple[Token, ...], Field(max_length=_MAX_FACTS)]
    coverage: Annotated[tuple[Coverage, ...], Field(max_length=_MAX_DAYS)] = ()
    """Per day, what it added (empty in ledgers written before coverage was kept)."""

    @property
    def last_day(self) -> dt.date:
        return max(self.days)

    def known_before(self, day: dt.date) -> tuple[frozenset[str], frozenset[str]]:
        """The article URLs and facts covered on days before `day`."""
        if self.last_day < day or not self.coverage:
            return frozenset(self.urls), frozenset(self.facts)
        earlier = [part for part in self.coverage if part.day < day]
        return (
            frozenset(url for part in earlier for url in part.urls),
            frozenset(fact for part in earlier for fact in part.facts),
        )


class Ledger(BaseModel):
    """The stories a topic's digests covered, newest last."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    topic: Slug
    entries: Annotated[tuple[LedgerEntry, ...], Field(max_length=_MAX_ENTRIES)] = ()

    def recorded(self, day: dt.date, stories: Iterable[Story]) -> bool:
        """Whether every story was already recorded for this day (a repeated delivery)."""
        seen = {story_id for entry in self.entries if day in entry.days for story_id in entry.story_ids}
        return all(story.id in seen for story in stories)


def load_ledger(store: Store, topic: str) -> Ledger:
    """The topic's ledger; an empty one when there is none yet or the stored one is unreadable."""
    stored = read_if_present(store, ledger_key(topic))
    if stored is None:
        return Ledger(topic=topic)
    try:
        return Ledger.model_validate_json(stored)
    except ValidationError as exc:
        # Better a digest that may repeat a story than no digest: start the memory afresh.
        logger.error("ledger unreadable, starting afresh", extra={"topic": topic, "reason": str(exc)[:300]})
        return Ledger(topic=topic)


def save_ledger(store: Store, ledger: Ledger) -> None:
    store.put(ledger_key(ledger.topic), ledger.model_dump_json(indent=1).encode(), "application/json")


# --- fingerprints ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    urls: frozenset[str]
    terms: tuple[str, ...]
    """Key terms, most frequent first."""
    facts: frozenset[str]


def facts(text: str) -> set[str]:
    """Figures and versioned names: latin tokens holding a digit, except bare years and small numbers
    (dates and times would make every day's report look new)."""
    return {
        token
        for token in tokens(text)
        if token.isascii()
        and any(char.isdigit() for char in token)
        and not _is_date_like(token)
        and len(token) <= _MAX_TOKEN_CHARS
    }


def _is_date_like(token: str) -> bool:
    return token.isdigit() and (int(token) < 32 or 1900 <= int(token) <= 2100)


def _article_terms(article: Article, ignore: frozenset[str]) -> list[str]:
    text = f"{article.title}\n{lead(article.body, _LEAD_CHARS)}"
    return [
        term
        for term in tokens(text)
        if term not in ignore and not _is_date_like(term) and len(term) <= _MAX_TOKEN_CHARS
    ]


def fingerprint(articles: Sequence[Article], ignore: frozenset[str]) -> Fingerprint:
    counts: Counter[str] = Counter()
    for article in articles:
        # Each article counts a term once, so a long report does not outweigh three short ones.
        counts.update(set(_article_terms(article, ignore)))
    ranked = sorted(counts, key=lambda term: (-counts[term], term))[:KEY_TERMS]
    return Fingerprint(
        urls=frozenset(
            url for url in (canonical_url(str(a.url)) for a in articles) if len(url) <= _MAX_URL_CHARS
        ),
        terms=tuple(ranked),
        facts=frozenset(fact for article in articles for fact in facts(f"{article.title}\n{article.body}")),
    )


def _script(term: str) -> str:
    return "cjk" if any(is_cjk(char) for char in term) else "latin"


def overlap(left: Iterable[str], right: Iterable[str]) -> float:
    """|A ∩ B| / min(|A|, |B|): how much of the smaller set the other one holds."""
    a, b = set(left), set(right)
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def same_story(today: Fingerprint, entry: LedgerEntry) -> bool:
    if today.urls & set(entry.urls):
        return True
    if overlap(today.terms, entry.terms) >= SAME_STORY_OVERLAP:
        return True
    # Across languages (one side has no Chinese at all) only latin terms (names, figures) can meet.
    today_cjk = any(_script(term) == "cjk" for term in today.terms)
    entry_cjk = any(_script(term) == "cjk" for term in entry.terms)
    if today_cjk and entry_cjk:
        return False
    latin_today = [term for term in today.terms if _script(term) == "latin"]
    latin_entry = [term for term in entry.terms if _script(term) == "latin"]
    return (
        min(len(latin_today), len(latin_entry)) >= 3
        and overlap(latin_today, latin_entry) >= SAME_STORY_LATIN_OVERLAP
    )


@dataclass(frozen=True)
class Novelty:
    """What one article adds to a covered story."""

    new_facts: frozenset[str]
    facts: int

    @property
    def material(self) -> bool:
        """Enough new facts, and enough of the article's facts new (MIN_NEW_FACTS, NEW_FACTS_SHARE)."""
        return len(self.new_facts) >= MIN_NEW_FACTS and len(self.new_facts) >= NEW_FACTS_SHARE * self.facts


def novelty(article: Article, known_facts: frozenset[str]) -> Novelty:
    found = facts(f"{article.title}\n{article.body}")
    return Novelty(new_facts=frozenset(found - known_facts), facts=len(found))


# --- screening and recording -----------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerMemory:
    """The ledger as gather's StoryMemory for one topic and day."""

    ledger: Ledger
    topic: Topic
    day: dt.date

    def screen(self, stories: Sequence[Story]) -> list[Story]:
        ignore = topic_terms(self.topic)
        earlier = [entry for entry in self.ledger.entries if min(entry.days) < self.day]
        kept: list[Story] = []
        for story in stories:
            today = fingerprint(story.articles, ignore)
            entry = next((e for e in reversed(earlier) if same_story(today, e)), None)
            if entry is None:
                kept.append(story)
                continue
            # A rerun of a day that updated the story is judged on what came before that day only.
            known_urls, known_facts = entry.known_before(self.day)
            unseen = [a for a in story.articles if canonical_url(str(a.url)) not in known_urls]
            # Each article not seen before is judged on its own: a retelling adds no facts.
            informative = tuple(a for a in unseen if novelty(a, known_facts).material)
            context = {
                "topic": self.topic.slug,
                "story": story.id,
                "covered_as": entry.story_ids[0],
                "covered_on": entry.last_day.isoformat(),
                "articles": len(story.articles),
                "unseen": len(unseen),
                "with_new_facts": len(informative),
            }
            if not informative:
                logger.info("story covered before, left out", extra=context)
                continue
            logger.info("story covered before, kept as update", extra=context)
            # Titled after what is new: the first informative report.
            lead_report = informative[0]
            kept.append(
                Story(id=story_id(lead_report), title=lead_report.title, articles=informative, is_update=True)
            )
        return kept


def record(ledger: Ledger, topic: Topic, day: dt.date, stories: Sequence[Story]) -> Ledger:
    """The ledger with the day's stories added (merged into the entries they update) and old ones pruned."""
    ignore = topic_terms(topic)
    entries = list(ledger.entries)
    for story in stories:
        today = fingerprint(story.articles, ignore)
        index = _entry_for(entries, story.id, today)
        if index is None:
            urls, found = tuple(sorted(today.urls))[:_MAX_URLS], tuple(sorted(today.facts))[:_MAX_FACTS]
            entries.append(
                LedgerEntry(
                    story_ids=(story.id,),
                    title=story.title,
                    days=(day,),
                    urls=urls,
                    terms=today.terms,
                    facts=found,
                    coverage=(Coverage(day=day, urls=urls, facts=found),),
                )
            )
        else:
            entries[index] = _merged(entries[index], story.id, day, today)
    newest = max((entry.last_day for entry in entries), default=day)
    cutoff = newest - dt.timedelta(days=RETENTION_DAYS)
    kept = [entry for entry in entries if entry.last_day >= cutoff][-_MAX_ENTRIES:]
    return ledger.model_copy(update={"entries": tuple(kept)})


def _entry_for(entries: Sequence[LedgerEntry], story_id: str, today: Fingerprint) -> int | None:
    """The newest entry recording this story id, else the newest entry of the same story."""
    for index in reversed(range(len(entries))):
        if story_id in entries[index].story_ids:
            return index
    for index in reversed(range(len(entries))):
        if same_story(today, entries[index]):
            return index
    return None


def _merged(entry: LedgerEntry, story_id: str, day: dt.date, today: Fingerprint) -> LedgerEntry:
    def union(old: Sequence[str], new: Iterable[str], limit: int) -> tuple[str, ...]:
        known = set(old)
        added = [item for item in new if item not in known]
        return (*old, *added)[-limit:]

    # The day's coverage grows by what this story brought (a rerun brings the same: no change).
    # A ledger written before coverage was kept credits everything it knew to the entry's first day.
    parts = entry.coverage or (Coverage(day=min(entry.days), urls=entry.urls, facts=entry.facts),)
    same_day = next((part for part in parts if part.day == day), None)
    covered = Coverage(
        day=day,
        urls=union(same_day.urls if same_day else (), sorted(today.urls), _MAX_URLS),
        facts=union(same_day.facts if same_day else (), sorted(today.facts), _MAX_FACTS),
    )
    others = [part for part in parts if part.day != day]
    return LedgerEntry(
        story_ids=union(entry.story_ids, [story_id], _MAX_IDS),
        title=entry.title,
        days=tuple(sorted({*entry.days, day}))[-_MAX_DAYS:],
        urls=union(entry.urls, sorted(today.urls), _MAX_URLS),
        terms=union(entry.terms, today.terms, _MAX_TERMS),
        facts=union(entry.facts, sorted(today.facts), _MAX_FACTS),
        coverage=tuple(sorted([*others, covered], key=lambda part: part.day))[-_MAX_DAYS:],
    )
