"""Memory across days: a per-topic ledger of the stories the published digests covered.

The ledger lives in the store at `ledger/{topic}.json`, one entry per story, each with what every
day's post published of it (`coverage`: the article URLs, key terms and facts that day added).

- **Screening** (fetch): a day's clusters are matched to the stories published on the days
  *before* it (`news.matching.choose`). A match is left out unless an article not published
  before brings material new facts (`MIN_NEW_FACTS`, `NEW_FACTS_SHARE`); then it is kept as an
  update (`Story.is_update`, `Story.follows`) holding only those articles, most new facts first.
- **Recording** (render, once the post is published): the published stories are merged into the
  entries screening chose for them (`follows`), or added as new entries. A failed day records
  nothing, so its stories are still news the next day.
- **Which days count**: a day is screened against the days before it only, as they stood when
  it was first published (every day's coverage keeps the ledger's sequence number of its first
  recording). Backfilling an earlier day after later ones gives it the post it has in date
  order, and rerunning a later day is not changed by an earlier day backfilled after it.

The ledger is updated by compare-and-swap (`store.ops.update`), so concurrent runs of one topic
(a parallel backfill) lose no day. Entries older than `RETENTION_DAYS` (counted from the newest
day in the ledger) are dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from dailydigest.models.article import Story, StoryBundle
from dailydigest.models.topic import Topic
from dailydigest.models.types import ShortText, Slug
from dailydigest.news.clustering import story_id, topic_terms
from dailydigest.news.fingerprint import MAX_URL_CHARS, Fingerprint, fingerprint
from dailydigest.news.matching import Known, Match, choose
from dailydigest.news.urls import canonical_url
from dailydigest.ports import Store
from dailydigest.store.keys import ledger_key
from dailydigest.store.ops import JSON, read_if_present, update

__all__ = [
    "Coverage",
    "Ledger",
    "LedgerEntry",
    "LedgerMemory",
    "forget",
    "ledger_key",
    "load_ledger",
    "record",
    "remember_published",
    "save_ledger",
]

logger = logging.getLogger(__name__)

MIN_NEW_FACTS = 3
NEW_FACTS_SHARE = 0.3
"""An update brings at least MIN_NEW_FACTS figures, dates, names or versions not published before
for that story, and they are at least this share of its facts. Measured on the multi-day fixture:
retellings by other outlets or in another language add 0 or 1 (of 3 to 8); updates 5 (of 6 to 9),
and a follow-up that first recaps the story 4 of 10. The share keeps out a long retelling that
quotes a few people or places of its own (3 new names among 15 facts)."""
RETENTION_DAYS = 30
_MAX_URLS, _MAX_TERMS, _MAX_FACTS, _MAX_DAYS, _MAX_IDS, _MAX_ENTRIES = 200, 160, 200, 60, 60, 2000

StoryId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,64}$")]
Token = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Url = Annotated[str, StringConstraints(max_length=MAX_URL_CHARS)]


class Coverage(BaseModel):
    """What one day's published post added to a story."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    day: dt.date
    urls: Annotated[tuple[Url, ...], Field(max_length=_MAX_URLS)]
    facts: Annotated[tuple[Token, ...], Field(max_length=_MAX_FACTS)]
    terms: Annotated[tuple[Token, ...], Field(max_length=_MAX_TERMS)] = ()
    recorded: Annotated[int, Field(ge=0)] = 0
    """The ledger's sequence number when this day was first recorded (0: before numbers were kept)."""


class LedgerEntry(BaseModel):
    """One story as published so far: its ids, the days it ran, and its fingerprint."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    story_ids: Annotated[tuple[StoryId, ...], Field(min_length=1, max_length=_MAX_IDS)]
    title: ShortText
    days: Annotated[tuple[dt.date, ...], Field(min_length=1, max_length=_MAX_DAYS)]
    urls: Annotated[tuple[Url, ...], Field(max_length=_MAX_URLS)]
    terms: Annotated[tuple[Token, ...], Field(max_length=_MAX_TERMS)]
    facts: Annotated[tuple[Token, ...], Field(max_length=_MAX_FACTS)]
    coverage: Annotated[tuple[Coverage, ...], Field(max_length=_MAX_DAYS)] = ()
    """Per day, what it added (empty in ledgers written before coverage was kept)."""

    @property
    def key(self) -> str:
        return self.story_ids[0]

    @property
    def first_day(self) -> dt.date:
        return min(self.days)

    @property
    def last_day(self) -> dt.date:
        return max(self.days)

    @property
    def parts(self) -> tuple[Coverage, ...]:
        """The coverage per day; a ledger written before it was kept credits all to the first day."""
        if self.coverage:
            return self.coverage
        return (Coverage(day=self.first_day, urls=self.urls, facts=self.facts, terms=self.terms),)


class Ledger(BaseModel):
    """The stories a topic's published digests covered, oldest first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    topic: Slug
    entries: Annotated[tuple[LedgerEntry, ...], Field(max_length=_MAX_ENTRIES)] = ()
    sequence: Annotated[int, Field(ge=0)] = 0
    """How many days were recorded (numbers each day's first recording)."""

    def first_recorded(self, day: dt.date) -> int | None:
        """The sequence number of the day's first recording; None when nothing of it is published."""
        numbers = [part.recorded for entry in self.entries for part in entry.parts if part.day == day]
        return min(numbers) if numbers else None

    def known_on(self, day: dt.date) -> list[Known]:
        """The stories as published on days before `day` (as they stood when `day` was first published)."""
        cutoff = self.first_recorded(day)
        known = []
        for entry in self.entries:
            earlier = [
                part for part in entry.parts if part.day < day and (cutoff is None or part.recorded <= cutoff)
            ]
            if earlier:
                terms = dict.fromkeys(term for part in earlier for term in (part.terms or entry.terms))
                known.append(
                    Known(
                        key=entry.key,
                        urls=frozenset(url for part in earlier for url in part.urls),
                        terms=tuple(terms),
                        facts=frozenset(fact for part in earlier for fact in part.facts),
                    )
                )
        return known

    def to_bytes(self) -> bytes:
        return self.model_dump_json(indent=1).encode()


def parse_ledger(raw: bytes | None, topic: str) -> Ledger:
    """The ledger from its stored bytes; an empty one when there is none or it is unreadable."""
    if raw is None:
        return Ledger(topic=topic)
    try:
        return Ledger.model_validate_json(raw)
    except ValidationError as exc:
        # Better a digest that may repeat a story than no digest: start the memory afresh.
        logger.error("ledger unreadable, starting afresh", extra={"topic": topic, "reason": str(exc)[:300]})
        return Ledger(topic=topic)


def load_ledger(store: Store, topic: str) -> Ledger:
    return parse_ledger(read_if_present(store, ledger_key(topic)), topic)


def save_ledger(store: Store, ledger: Ledger) -> None:
    """Replace the stored ledger (for tools and tests; the pipeline records with `remember_published`)."""
    store.put(ledger_key(ledger.topic), ledger.to_bytes(), JSON)


# --- screening ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Novelty:
    """What one article adds to a covered story."""

    new_facts: frozenset[str]
    facts: int

    @property
    def material(self) -> bool:
        """Enough new facts, and enough of the article's facts new (MIN_NEW_FACTS, NEW_FACTS_SHARE)."""
        return len(self.new_facts) >= MIN_NEW_FACTS and len(self.new_facts) >= NEW_FACTS_SHARE * self.facts


def novelty(found: frozenset[str], known_facts: frozenset[str]) -> Novelty:
    """What an article with these facts adds to a story whose known facts are `known_facts`."""
    return Novelty(new_facts=found - known_facts, facts=len(found))


@dataclass(frozen=True)
class LedgerMemory:
    """The ledger as gather's StoryMemory for one topic and day."""

    ledger: Ledger
    topic: Topic
    day: dt.date

    def screen(self, stories: Sequence[Story]) -> list[Story]:
        ignore = topic_terms(self.topic)
        known = self.ledger.known_on(self.day)
        kept: list[Story] = []
        for story in stories:
            today = fingerprint(story.articles, ignore)
            match = choose(today, known)
            kept.extend([story] if match is None else self._judge(story, today, match, ignore))
        return kept

    def _judge(self, story: Story, today: Fingerprint, match: Match, ignore: frozenset[str]) -> list[Story]:
        known = match.known
        unseen = [a for a in story.articles if canonical_url(str(a.url)) not in known.urls]
        # Each unseen article's own fingerprint, once: its facts judge what it adds, the whole of
        # it whether it belongs to the earlier story at all.
        alone = {a.url: fingerprint([a], ignore) for a in unseen}
        news = {a.url: novelty(alone[a.url].facts, known.facts) for a in unseen}
        informative = [a for a in unseen if news[a.url].material]
        if not match.strong and (informative or not today.facts & known.facts):
            # A weak match (a few shared words) is a re-report only when it retells the earlier
            # story's facts and adds none; otherwise it is a story of its own, neither judged
            # against nor merged into the other story's facts (and a small story is not lost).
            logger.info("story resembles an earlier one, kept as new", extra={"story": story.id})
            return [story]
        # An article not seen before that on its own has no tie to the earlier story was
        # clustered with it by mistake: it is a new story, neither an update nor a re-report.
        fresh = [a for a in unseen if choose(alone[a.url], [known]) is None]
        updates = sorted(
            (a for a in informative if a not in fresh), key=lambda a: -len(news[a.url].new_facts)
        )
        context = {
            "topic": self.topic.slug,
            "story": story.id,
            "covered_as": known.key,
            "matched_by": match.basis,
            "strong": match.strong,
            "articles": len(story.articles),
            "unseen": len(unseen),
            "updates": len(updates),
            "new_story": len(fresh),
        }
        kept: list[Story] = []
        if fresh:
            kept.append(Story(id=story_id(fresh[0]), title=fresh[0].title, articles=tuple(fresh)))
        if updates:
            # Led and titled by the report with the most new facts: the post opens on what is new.
            kept.append(
                Story(
                    id=story_id(updates[0]),
                    title=updates[0].title,
                    articles=tuple(updates),
                    is_update=True,
                    follows=known.key,
                    new_facts=tuple(sorted(set().union(*(news[a.url].new_facts for a in updates))))[:50],
                )
            )
        logger.info("story covered before, " + ("kept" if kept else "left out"), extra=context)
        return kept


# --- recording ------------------------------------------------------------------------------------


def record(ledger: Ledger, topic: Topic, day: dt.date, stories: Sequence[Story]) -> Ledger:
    """The ledger with the day's published stories added (updates merged into the story they update)
    and old entries pruned. Recording a day again changes nothing."""
    ignore = topic_terms(topic)
    number = ledger.sequence + 1
    entries = list(ledger.entries)
    stamped = False
    for story in stories:
        today = fingerprint(story.articles, ignore)
        index = _entry_for(entries, story, today)
        if index is None:
            entries.append(_new_entry(story, day, today, number))
            stamped = True
        else:
            merged, added = _merged(entries[index], story.id, day, today, number)
            entries[index] = merged
            stamped = stamped or added
    newest = max((entry.last_day for entry in entries), default=day)
    cutoff = newest - dt.timedelta(days=RETENTION_DAYS)
    kept = tuple(entry for entry in entries if entry.last_day >= cutoff)[-_MAX_ENTRIES:]
    return ledger.model_copy(update={"entries": kept, "sequence": number if stamped else ledger.sequence})


def _entry_for(entries: Sequence[LedgerEntry], story: Story, today: Fingerprint) -> int | None:
    """The entry recording this story id (a rerun), else the one screening chose (`follows`), else
    one holding the same pages (a backfilled day's story a later day published too)."""
    for index in reversed(range(len(entries))):
        if story.id in entries[index].story_ids:
            return index
    if story.follows is not None:
        for index in reversed(range(len(entries))):
            if story.follows in entries[index].story_ids:
                return index
    sharing = [index for index, entry in enumerate(entries) if today.urls & set(entry.urls)]
    return max(sharing, key=lambda index: len(today.urls & set(entries[index].urls)), default=None)


def _new_entry(story: Story, day: dt.date, today: Fingerprint, number: int) -> LedgerEntry:
    urls, found = tuple(sorted(today.urls))[:_MAX_URLS], tuple(sorted(today.facts))[:_MAX_FACTS]
    return LedgerEntry(
        story_ids=(story.id,),
        title=story.title,
        days=(day,),
        urls=urls,
        terms=today.terms,
        facts=found,
        coverage=(Coverage(day=day, urls=urls, facts=found, terms=today.terms, recorded=number),),
    )


def _union(old: Sequence[str], new: Iterable[str], limit: int) -> tuple[str, ...]:
    known = set(old)
    return (*old, *(item for item in dict.fromkeys(new) if item not in known))[-limit:]


def _merged(
    entry: LedgerEntry, story_id: str, day: dt.date, today: Fingerprint, number: int
) -> tuple[LedgerEntry, bool]:
    """The entry with the day's coverage grown by the story; and whether the day is new to it."""
    parts = entry.parts
    same_day = next((part for part in parts if part.day == day), None)
    covered = Coverage(
        day=day,
        urls=_union(same_day.urls if same_day else (), sorted(today.urls), _MAX_URLS),
        facts=_union(same_day.facts if same_day else (), sorted(today.facts), _MAX_FACTS),
        terms=_union(same_day.terms if same_day else (), today.terms, _MAX_TERMS),
        recorded=same_day.recorded if same_day else number,
    )
    others = [part for part in parts if part.day != day]
    merged = LedgerEntry(
        story_ids=_union(entry.story_ids, [story_id], _MAX_IDS),
        title=entry.title,
        days=tuple(sorted({*entry.days, day}))[-_MAX_DAYS:],
        urls=_union(entry.urls, sorted(today.urls), _MAX_URLS),
        terms=_union(entry.terms, today.terms, _MAX_TERMS),
        facts=_union(entry.facts, sorted(today.facts), _MAX_FACTS),
        coverage=tuple(sorted([*others, covered], key=lambda part: part.day))[-_MAX_DAYS:],
    )
    return merged, same_day is None


def published_stories(bundle: StoryBundle, cited_urls: Iterable[str]) -> list[Story]:
    """The bundle's stories as the post published them: only their articles it lists as sources."""
    cited = {canonical_url(url) for url in cited_urls}
    published = []
    for story in bundle.stories:
        articles = tuple(a for a in story.articles if canonical_url(str(a.url)) in cited)
        if articles:
            published.append(story.model_copy(update={"articles": articles}))
    return published


def remember_published(store: Store, bundle: StoryBundle, cited_urls: Iterable[str]) -> bool:
    """Record a published post's stories in the topic's ledger; True when the ledger changed.

    Compare-and-swap with retry: another day of the same topic recorded at the same moment keeps
    its record too (ConflictError only when the retries run out)."""
    stories = published_stories(bundle, cited_urls)
    if not stories:
        return False
    topic = bundle.topic

    def change(raw: bytes | None) -> bytes | None:
        ledger = parse_ledger(raw, topic.slug)
        recorded = record(ledger, topic, bundle.date, stories)
        return None if recorded == ledger else recorded.to_bytes()

    changed = update(store, ledger_key(topic.slug), change)
    logger.info(
        "published stories remembered",
        extra={
            "topic": topic.slug,
            "date": bundle.date.isoformat(),
            "stories": len(stories),
            "changed": changed,
        },
    )
    return changed


def forget(store: Store, topic: str, story: str) -> LedgerEntry | None:
    """Drop the ledger entry holding this story id, so its news counts as new again; the entry dropped."""
    dropped: list[LedgerEntry] = []

    def change(raw: bytes | None) -> bytes | None:
        ledger = parse_ledger(raw, topic)
        dropped[:] = [entry for entry in ledger.entries if story in entry.story_ids]
        if not dropped:
            return None
        kept = tuple(entry for entry in ledger.entries if story not in entry.story_ids)
        return ledger.model_copy(update={"entries": kept}).to_bytes()

    update(store, ledger_key(topic), change)
    return dropped[0] if dropped else None
