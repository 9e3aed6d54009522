"""Choosing sentences: scored by centrality, each handed out once, never close to one already used.

A sentence is scored by how central its terms (CJK bigrams, latin words) are among the day's
sentences, with a bonus for leads. `pick` gives the best sentences of a pool that are unused,
stand alone, and repeat neither an exact sentence nor a near-duplicate (the same figure, most of the
same words) of anything already in the post; nothing is ever quoted twice.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from dailydigest.news.text import contains_any, jaccard
from dailydigest.summarize.extractive.sentences import Sentence, near_duplicates

_REDUNDANCY_PENALTY = 0.7
_AUDIENCE_BONUS = 2.0
_AUDIENCE_SPAN = 15

Accept = Callable[[Sentence], bool]


class Picker:
    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.all = list(sentences)
        self.used: list[Sentence] = []
        frequency: Counter[str] = Counter(term for sentence in sentences for term in sentence.terms)
        self.score = {s.order: _score(s, frequency) for s in sentences}

    def free(self, sentence: Sentence, among: Sequence[Sentence] = ()) -> bool:
        """Unused, and no near-duplicate of a sentence used in the post or chosen alongside."""
        if any(sentence.order == used.order for used in self.used):
            return False
        return not any(near_duplicates(sentence.text, other.text) for other in [*self.used, *among])

    def pick(
        self,
        pool: Iterable[Sentence],
        count: int,
        *,
        accept: Accept = lambda s: True,
        one_per_story: bool = False,
        strength: Callable[[Sentence], float] | None = None,
    ) -> list[Sentence]:
        """Up to `count` of the best quotable sentences of the pool, diverse (MMR), then taken."""
        rate = strength or (lambda s: self.score[s.order])
        candidates = [s for s in pool if s.native and s.standalone and accept(s)]
        chosen: list[Sentence] = []
        while len(chosen) < count:
            open_ = [
                s
                for s in candidates
                if s not in chosen
                and self.free(s, chosen)
                and not (one_per_story and any(s.story == c.story for c in chosen))
            ]
            if not open_:
                break
            best = max(
                open_,
                key=lambda s: (
                    rate(s)
                    - _REDUNDANCY_PENALTY * max((jaccard(s.terms, c.terms) for c in chosen), default=0),
                    -s.order,
                ),
            )
            chosen.append(best)
        self.used.extend(chosen)
        return chosen

    def audience(self, cues: Sequence[str]) -> Callable[[Sentence], float]:
        """Strength for an audience: a sentence that opens on the cue ("對開發者來說，…") is about it."""

        def strength(sentence: Sentence) -> float:
            opening = contains_any(sentence.text[:_AUDIENCE_SPAN], cues)
            return self.score[sentence.order] * (_AUDIENCE_BONUS if opening else 1.0)

        return strength


def _score(sentence: Sentence, frequency: Counter[str]) -> float:
    """Centrality (other sentences sharing its terms), boosted for leads."""
    if not sentence.terms:
        return 0.0
    # A term's frequency minus the sentence's own use: a sentence of unshared terms scores zero.
    # Dividing by the square root of the length neither rewards run-ons nor prefers fragments.
    centrality = sum(frequency[term] - 1 for term in sentence.terms) / math.sqrt(len(sentence.terms))
    return centrality * (1.0 + 0.5 / (1 + sentence.position))
