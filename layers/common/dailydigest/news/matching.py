"""Which earlier story a cluster of today's articles belongs to: one choice, for screening and recording.

A cluster belongs to the earlier story it shares canonical URLs with first (the same page is the
same story, whatever else matches), else to the one holding most of its facts, else to the one
whose key terms it overlaps best. A match is *strong* when it rests on URLs, on facts, or on a
clear overlap of key terms in one script with a fact in common; a *weak* one (a term overlap
near the threshold or without a shared fact, or names and figures alone across languages) may
leave out a report that only retells, but never makes a story an update of another: a weakly
matched cluster with new facts is a new story.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from dailydigest.news.fingerprint import Fingerprint, overlap, script

SAME_STORY_OVERLAP = 0.2
"""Share of the smaller key-term set two fingerprints must share to be one story (weak).
Measured on the multi-day fixture (single reports, one script): one story 0.25 to 0.56,
different stories 0.14 at most."""
STRONG_OVERLAP = 0.3
"""From this share of shared key terms (one script), with at least one fact in common, the match
is strong enough to be an update: a report with new figures shares 0.08 to 0.36 of its terms and
1 to 4 facts with the story it updates; a different story told with the same words (a funding
round recalling the release) shares up to 0.33 of its terms but no fact."""
SAME_STORY_LATIN_OVERLAP = 0.6
"""Across languages (one side has no Chinese terms): the share of latin key terms (names, versions,
figures) two reports must share. One story: 0.8 to 1.0; different stories up to 0.5 (an English
release and a Chinese price cut both say `api`, `token`). Always weak: product names recur in a
topic's different stories."""
MIN_SHARED_FACTS = 3
SHARED_FACTS_SHARE = 0.5
"""A facts match: at least MIN_SHARED_FACTS of the cluster's facts, and this share of them, known
for the earlier story. A retelling, in any language, shares all of its figures (6 to 8 of them);
different stories share 0 or 1 (a model size, a price)."""

Basis = Literal["urls", "facts", "terms"]


@dataclass(frozen=True)
class Known:
    """An earlier story as known on the day being screened: what was published of it before."""

    key: str
    """The ledger entry's id (its first story id)."""
    urls: frozenset[str]
    terms: tuple[str, ...]
    facts: frozenset[str]

    @cached_property
    def latin(self) -> _Latin:
        # Kept: every story of the day is compared with every known story.
        return _Latin.of(self.terms)


@dataclass(frozen=True)
class Match:
    known: Known
    basis: Basis
    strong: bool


@dataclass(frozen=True)
class _Latin:
    """Key terms' latin part (names, versions, figures), and whether the rest holds Chinese."""

    terms: tuple[str, ...]
    chinese: bool

    @classmethod
    def of(cls, terms: Sequence[str]) -> _Latin:
        scripts = [script(term) for term in terms]
        latin = tuple(term for term, kind in zip(terms, scripts, strict=True) if kind == "latin")
        return cls(terms=latin, chinese="cjk" in scripts)


def _latin_overlap(today: _Latin, known: _Latin) -> float:
    # Across languages (one side has no Chinese at all) only latin terms (names, figures) can meet.
    if today.chinese and known.chinese:
        return 0.0
    if min(len(today.terms), len(known.terms)) < 3:
        return 0.0
    return overlap(today.terms, known.terms)


def choose(today: Fingerprint, candidates: Sequence[Known]) -> Match | None:
    """The earlier story this cluster belongs to, and how surely; None when it is new.

    Ties go to the candidate listed last (the most recently covered story)."""
    ordered = list(reversed(candidates))
    by_urls = [k for k in ordered if today.urls & k.urls]
    if by_urls:
        best = max(by_urls, key=lambda k: (len(today.urls & k.urls), len(today.facts & k.facts)))
        return Match(best, "urls", strong=True)
    if today.facts:
        shared = {k.key: len(today.facts & k.facts) for k in ordered}
        by_facts = [
            k
            for k in ordered
            if shared[k.key] >= MIN_SHARED_FACTS and shared[k.key] >= SHARED_FACTS_SHARE * len(today.facts)
        ]
        if by_facts:
            return Match(max(by_facts, key=lambda k: shared[k.key]), "facts", strong=True)
    latin = _Latin.of(today.terms)
    scorers: tuple[tuple[Callable[[Known], float], float | None], ...] = (
        (lambda k: overlap(today.terms, k.terms), STRONG_OVERLAP),
        (lambda k: _latin_overlap(latin, k.latin), None),
    )
    for score, strong_from in scorers:
        scored = [(score(k), k) for k in ordered]
        if not scored:
            break
        best_score, best = max(scored, key=lambda pair: pair[0])
        threshold = SAME_STORY_OVERLAP if strong_from is not None else SAME_STORY_LATIN_OVERLAP
        if best_score >= threshold:
            # Words alone, with no figure, date or name in common, never make an update.
            clear = strong_from is not None and best_score >= strong_from
            return Match(best, "terms", strong=clear and bool(today.facts & best.facts))
    return None
