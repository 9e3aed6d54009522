"""The sentences a digest may quote, and the tests that keep a quote readable on its own.

A quote lifted out of its article must not lean on what it left behind: no sentence whose subject
points back (這是…, 此舉…, 該公司…, This…, It…) or that opens on a contrast with the sentence before
(然而…, However…); a purely additive opener (此外，…) is dropped and the rest kept. A newsroom's first
person (編輯部實際下載了…, we tested…) would read as the blog's own; it is never quoted outside a
quotation. Each sentence knows its language: off-language sentences never reach the overview, key
points or analysis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from dailydigest.locales import facts_for
from dailydigest.models.article import Story
from dailydigest.news.text import guess_language, normalize, split_sentences, tokens

MIN_SENTENCE_CHARS = 12
MAX_SENTENCE_CHARS = 400
NEAR_DUPLICATE_CONTAINMENT = 0.5

_POINTS_BACK = re.compile(
    r"^(?:這|那(?!斯達克)|此|其(?!他|餘|實)|該|它|他|她|上述|前述|對此|為此|因此|所以|然而|不過|但是|但|可是|相比之下|相較之下"
    r"|反觀|其中|隨後|接著|總之|換句話說|也就是說"
    r"|(?:公司|團隊|報告|研究|文章|官方)(?:也|則|還)?(?:表示|指出|強調|說|認為|顯示|建議|提到|發現|回應))"
    r"|^(?:This|That|These|Those|It|Its|They|Their|Them|He|She|His|Her|Such|However|But|Still|Yet"
    r"|Instead|Then|Thus|Therefore|Hence|Likewise|Similarly|By contrast|In contrast|As a result"
    r"|Also|Meanwhile|Moreover|Furthermore|In addition|Besides)\b"
)
# Openers that only add: the rest of the sentence stands alone once they are dropped.
_ADDITIVE_OPENER = re.compile(r"^(?:此外|另外|同時|而且|並且|除此之外|與此同時)\s*[，,、]\s*")
_NEWSROOM_FIRST_PERSON = re.compile(
    r"編輯部|本報|本刊|本站|筆者|小編|我們|我司|記者(?:實測|實際|親自|試用)"
    r"|(?<![A-Za-z])(?:[Ww]e|[Oo]ur|[Oo]urs|us)(?![A-Za-z'])"
)
_QUOTED = re.compile(r"「[^」]*」|『[^』]*』|“[^”]*”|\"[^\"]*\"")
# A figure: a number standing alone (not part of a name such as Qwen4, 235B or 128K), not a date.
_FIGURE = re.compile(r"(?<![A-Za-z0-9.\-])\d+(?:\.\d+)?%?(?![A-Za-z0-9])(?!\s*[日月年號時])")
# A run of Han characters (tags take their phrases from such runs too).
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class Sentence:
    text: str
    source_id: int
    story: int
    position: int
    """Index among its article's sentences (0: the lead)."""
    order: int
    terms: frozenset[str]
    native: bool
    """Written in the digest's language."""
    standalone: bool
    """Reads on its own: no pointing back, no contrast with what came before, no newsroom 'we'."""
    outlet: str


def digest_language(locale: str) -> str:
    """The digest's language as `guess_language` names it."""
    return facts_for(locale).language


def usable(sentence: str) -> bool:
    # Fragments ("Setup is easy.") and run-ons (a whole paragraph without stops) quote badly.
    return MIN_SENTENCE_CHARS <= len(sentence) <= MAX_SENTENCE_CHARS and len(tokens(sentence)) >= 3


# "市場人士分析，此舉…": the subject is what follows a short attribution.
_ATTRIBUTION = re.compile(
    r"^[^，,。：:]{1,24}?(?:表示|指出|認為|分析|強調|說|提到|預估|預料|坦言|透露)[，,：:]\s*"
)


def stands_alone(sentence: str) -> bool:
    """Whether a sentence reads on its own, outside its article."""
    if _POINTS_BACK.match(sentence) or _POINTS_BACK.match(_ATTRIBUTION.sub("", sentence, count=1)):
        return False
    return not _NEWSROOM_FIRST_PERSON.search(_QUOTED.sub("", sentence))


def without_additive_opener(sentence: str) -> str:
    return _ADDITIVE_OPENER.sub("", sentence, count=1)


def outlet(article_publisher: str, url: str) -> str:
    return article_publisher.strip() or (urlsplit(url).hostname or "").removeprefix("www.")


def collect(stories: Sequence[Story], locale: str) -> list[Sentence]:
    """Every usable sentence of every article, once (the same sentence from two outlets is one)."""
    language = digest_language(locale)
    found: list[Sentence] = []
    seen: set[str] = set()
    source_id = 0
    for story_index, story in enumerate(stories):
        for article in story.articles:
            source_id += 1
            written_in = article_language(article.body, article.title)
            said_by = outlet(article.publisher, str(article.url))
            # Positions count every sentence, so a dropped fragment does not promote the next one to lead.
            for position, raw in enumerate(split_sentences(article.body)):
                text = without_additive_opener(raw)
                key = normalize(text)
                if not usable(text) or key in seen:
                    continue
                seen.add(key)
                found.append(
                    Sentence(
                        text=text,
                        source_id=source_id,
                        story=story_index,
                        position=position,
                        order=len(found),
                        terms=frozenset(tokens(text)),
                        native=sentence_language(text, written_in) in ("", language),
                        standalone=stands_alone(text),
                        outlet=said_by,
                    )
                )
    return found


_SCRIPT_LANGUAGES = ("zh", "ja", "ko")


def article_language(body: str, title: str = "") -> str:
    """An article's language, told from its text (a long sample: surer than a sentence or a headline)."""
    return guess_language(body) or guess_language(title)


def sentence_language(sentence: str, written_in: str) -> str:
    """A sentence's language: its script tells Chinese, Japanese or Korean apart; a sentence in the
    Latin script is in its article's language (a short one alone fools a language identifier)."""
    own = guess_language(sentence)
    if own in _SCRIPT_LANGUAGES or written_in in ("", *_SCRIPT_LANGUAGES):
        return own
    return written_in


def figures(text: str) -> frozenset[str]:
    """The figures a sentence states (0.32, 99.2%, 35): small counts ("3 款") are too common to tell."""
    return frozenset(f for f in _FIGURE.findall(text) if "." in f or "%" in f or len(f) >= 2)


def _bigrams(text: str) -> set[str]:
    grams = {run[i : i + 2] for run in CJK_RUN.findall(text) for i in range(len(run) - 1)}
    return grams | {word.lower() for word in re.findall(r"[A-Za-z][A-Za-z0-9.\-]+", text)}


def near_duplicates(left: str, right: str) -> bool:
    """Two sentences saying the same thing: the same figure, or most of the shorter one's words."""
    if figures(left) & figures(right):
        return True
    a, b = _bigrams(left), _bigrams(right)
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= NEAR_DUPLICATE_CONTAINMENT
