"""Text helpers that work for Chinese and English alike.

Chinese has no spaces between words, so "terms" are CJK character bigrams plus latin words;
near-duplicate detection uses character shingles, which need no word boundaries at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

# Han ideographs (with extension A and compatibility forms) and Japanese kana.
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff"
_CJK_CHAR = re.compile(f"[{_CJK_CLASS}]")
# A run of CJK characters, or a latin word that may carry inner dots/apostrophes ("qwen4.5", "it's").
_TERM = re.compile(f"([{_CJK_CLASS}]+)|([a-z0-9]+(?:[.'][a-z0-9]+)*)")
_SHINGLE_NOISE = re.compile(f"[^a-z0-9{_CJK_CLASS}]+")

ENGLISH_STOPWORDS = frozenset(
    {
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be",
        "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
        "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "it's",
        "its", "more", "most", "new", "no", "not", "now", "of", "on", "one", "or", "our",
        "out", "over", "said", "says", "she", "so", "some", "than", "that", "the", "their", "them",
        "then", "there", "these", "they", "this", "those", "through", "to", "up", "us", "was", "we",
        "were", "what", "when", "which", "while", "who", "will", "with", "would", "you", "your", "just",
        "may", "might", "should", "very", "s", "t",
    }
)  # fmt: skip
# Function-word bigrams that say nothing about a story.
CHINESE_STOP_BIGRAMS = frozenset(
    {
        "我們", "他們", "你們", "以及", "並且", "而且", "表示", "可以", "這個", "這些", "那些",
        "一個", "目前", "已經", "因為", "所以", "如果", "但是", "不過", "其中", "包括", "進行",
        "相關", "也是", "就是", "還是", "對於", "由於", "同時", "此外", "透過", "指出", "認為",
        "並不", "可能", "這次", "此次", "之後", "之前", "今天", "昨天", "今年", "以上", "以下",
        "其他", "他說", "她說", "就會", "將會", "也會", "能夠", "一些", "許多", "非常", "更多",
    }
)  # fmt: skip
# Bigrams holding one of these function characters mostly straddle two words ("的模", "是阿"): noise.
_FUNCTION_CHARS = frozenset("的了是在與和及並也都而將為於其之這個等就被把讓從到對有由")

_SENTENCE_END = "。！？!?"
_CLOSERS = "」』”’\"')）]】"
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "corp", "vs", "etc", "e.g", "i.e"}
)


def normalize(text: str) -> str:
    """Fold width and case so that ｑｗｅｎ, Qwen and QWEN compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def is_cjk(char: str) -> bool:
    return bool(_CJK_CHAR.fullmatch(char))


def cjk_ratio(text: str) -> float:
    """Share of CJK characters among the letters of text (0.0 for text without letters)."""
    letters = [char for char in text if char.isalnum()]
    if not letters:
        return 0.0
    return sum(1 for char in letters if is_cjk(char)) / len(letters)


_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_KANA = re.compile("[\u3040-\u30ff]")
_HANGUL = re.compile("[\uac00-\ud7af\u1100-\u11ff]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SAMPLE_CHARS = 4_000
# Languages most news is written in: CLD2's best-effort guess on a short text is kept only for these.
_COMMON_LANGUAGES = frozenset(
    {"en", "de", "fr", "es", "pt", "it", "nl", "ru", "uk", "pl", "tr", "sv", "vi", "id", "ar", "hi"}
)


def guess_language(text: str) -> str:
    """The language of a text as an ISO 639-1 code ('zh', 'en', 'de', 'ja', ...), '' when unknown.

    Text in Han characters is told apart by its script (kana make it Japanese, Hangul Korean,
    else Chinese), which is surer than any model on a short headline. Other text goes to CLD2
    (Chromium's compact language detector); what it is unsure of stays unknown, never "English"
    by default.
    """
    sample = _UNREADABLE.sub(" ", text[:_SAMPLE_CHARS])
    letters = [char for char in sample if char.isalpha()]
    if not letters:
        return ""
    east_asian = sum(1 for char in letters if is_cjk(char) or _HANGUL.match(char))
    if east_asian / len(letters) >= 0.3:
        if _KANA.search(sample):
            return "ja"
        return "ko" if _HANGUL.search(sample) and not _HAN.search(sample) else "zh"
    import pycld2  # a small C extension with its tables built in, loaded on first use

    try:
        reliable, _, details = pycld2.detect(sample)
        if not reliable:
            # A headline is too short for CLD2's confidence; its best effort is fair for the common languages.
            _, _, details = pycld2.detect(sample, bestEffort=True)
    except pycld2.error:
        return ""
    code = str(details[0][1]).split("-")[0] if details else "un"
    return code if reliable or code in _COMMON_LANGUAGES else ""


def _stem(word: str) -> str:
    # Plural folding is enough for matching headlines ("tokens" ~ "token"); no real stemmer needed.
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss") and not word[-2].isdigit():
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Content terms in order: CJK bigrams and (plural-folded) latin words, without stopwords."""
    terms: list[str] = []
    for cjk_run, word in _TERM.findall(normalize(text)):
        if cjk_run:
            terms.extend(
                bigram
                for bigram in (cjk_run[i : i + 2] for i in range(len(cjk_run) - 1))
                if bigram not in CHINESE_STOP_BIGRAMS and not _FUNCTION_CHARS.intersection(bigram)
            )
        elif word not in ENGLISH_STOPWORDS and (len(word) > 1 or word.isdigit()):
            terms.append(_stem(word))
    return terms


def latin_words(text: str) -> list[str]:
    """Latin words as written (lowercased, not stemmed), without stopwords: for slugs."""
    return [
        word
        for cjk_run, word in _TERM.findall(normalize(text))
        if word and not cjk_run and word not in ENGLISH_STOPWORDS
    ]


def shingles(text: str, size: int = 5) -> set[str]:
    """Character n-grams of the text with case, width, spaces and punctuation removed."""
    compact = _SHINGLE_NOISE.sub("", normalize(text))
    if len(compact) <= size:
        return {compact} if compact else set()
    return {compact[i : i + size] for i in range(len(compact) - size + 1)}


def jaccard(left: AbstractSet[str], right: AbstractSet[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def split_sentences(text: str) -> list[str]:
    """Sentences of mixed Chinese/English text, each with its closing punctuation and quotes."""
    sentences: list[str] = []
    for line in text.splitlines():
        sentences.extend(_split_line(line))
    return sentences


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    i = 0
    while i < len(line):
        char = line[i]
        end: int | None = None
        if char in _SENTENCE_END or (char == "." and _ends_english_sentence(line, i)):
            end = i + 1
        if end is not None:
            while end < len(line) and line[end] in _CLOSERS:
                end += 1
            pieces.append(line[start:end])
            start = i = end
            continue
        i += 1
    pieces.append(line[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _ends_english_sentence(line: str, dot: int) -> bool:
    # "3.5", "qwen.ai" and "e.g. the" do not end a sentence; ". The" and a final "." do.
    rest = line[dot + 1 :]
    if rest and not rest[0].isspace() and rest[0] not in _CLOSERS:
        return False
    following = rest.lstrip(_CLOSERS).lstrip()
    if following and not (following[0].isupper() or following[0].isdigit() or is_cjk(following[0])):
        return False
    word = re.search(r"([A-Za-z.]+)$", line[:dot])
    return not (word and word.group(1).lower() in _ABBREVIATIONS)


def join_sentences(sentences: Iterable[str]) -> str:
    """Join sentences as prose: no space after CJK punctuation, one space otherwise."""
    joined = ""
    for sentence in sentences:
        if joined and not (is_cjk(joined[-1]) or joined[-1] in "。！？」』）：；，"):
            joined += " "
        joined += sentence
    return joined


def lead(text: str, limit: int = 300) -> str:
    """The opening of a text, cut at a character budget."""
    return text.strip()[:limit]


def quoted_phrase(query: str) -> str:
    """A search query as search engines read a phrase: words with spaces between in double quotes."""
    term = query.strip()
    if any(char.isspace() for char in term) and not term.startswith('"'):
        return f'"{term}"'
    return term


def contains_any(text: str, cues: Sequence[str]) -> bool:
    """Whether text mentions a cue; latin cues must start a word ("api" is not in "rapid")."""
    folded = normalize(text)
    for cue in cues:
        folded_cue = normalize(cue)
        if not folded_cue:
            continue
        if is_cjk(folded_cue[0]):
            if folded_cue in folded:
                return True
        elif re.search(rf"(?<![a-z0-9]){re.escape(folded_cue)}", folded):
            return True
    return False
