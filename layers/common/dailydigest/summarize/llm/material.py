"""What the model is shown: stories and numbered sources, their text cleaned and trimmed.

Sources are numbered 1..N in story order (as the extractive summarizer numbers them), so a digest's
source ids mean the same whichever summarizer wrote it. Article text is untrusted: it is stripped of
anything that could pass for the prompt's own markup (the data delimiters, `[S3]`-style source tags),
and sentences that read as instructions to a model are remembered so the answer can be checked for them.
The same tests of links, markup and script check the model's answer (`grounding`) and keep such
sentences out of a digest that quotes articles (`defang`, for the extractive summarizer).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from dailydigest.models.article import Story
from dailydigest.news.text import join_sentences, split_sentences
from dailydigest.summarize.llm.budget import FOLLOWER_SHARE, trim_to_tokens

# Control and invisible characters (zero-width, bidi overrides) are dropped from article text.
_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_DELIMITER_LIKE = re.compile(r"[<>«»‹›]{2,}|={3,}|#{3,}")
_TAG_LIKE = re.compile(r"\[\s*([SE])\s*(\d+)\s*\]")
_SPACES = re.compile(r"[ \t\u3000]+")

# Phrases that address a model rather than a reader: an article that holds one is trying to steer us.
INSTRUCTION_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|directions)\b",
        r"\b(system|developer)\s+(prompt|message|instructions?)\b",
        r"\byou are now\b",
        r"\bnew instructions?\s*:",
        r"\b(as an? (ai|language model|assistant))\b.{0,40}\b(must|should|will)\b",
        r"(忽略|無視|忽視|忘記|忽略掉|无视|忘记)[^。！？\n]{0,20}(指示|指令|規則|规则|提示|說明|说明)",
        r"(系統|系统|開發者|开发者)\s*(提示|指令|訊息|消息)",
        r"(你現在是|你现在是|從現在起你|从现在起你)",
        r"(請|请|務必|务必|必須|必须)[^。！？\n]{0,10}(改為|改成|改为)?(輸出|输出|加入|附上)[^。！？\n]{0,30}(網址|网址|連結|链接|字串|字符串|程式碼|代码)",
    )
)


# What digest prose never holds: links (the render adds them from the fetched set), markup, script.
_URL = re.compile(r"(?i)\b(?:https?|ftp)://|\bwww\.[a-z0-9-]+\.[a-z]")
_DOMAIN_PATH = re.compile(
    r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|ai|dev|app|co|cn|tw|hk|jp|info|xyz|me|ly|gl)/\S"
)
_MARKDOWN_LINK = re.compile(r"\]\s*\(|\[[^\]\n]{1,200}\]\s*:\s*\S")
_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>|&(?:lt|gt|amp|quot|#\d+);")
_SCRIPT = re.compile(r"(?i)javascript\s*:|<\s*script|\bon(?:error|load|click|mouseover)\s*=|data:text/html")


def looks_like_instruction(text: str) -> bool:
    return any(pattern.search(text) for pattern in INSTRUCTION_PATTERNS)


def has_url(text: str) -> bool:
    """A web address, with a scheme, `www.` or a bare `domain.tld/path` (`Character.ai` alone is a name)."""
    return bool(_URL.search(text) or _DOMAIN_PATH.search(text))


def has_markdown_link(text: str) -> bool:
    return bool(_MARKDOWN_LINK.search(text))


def has_script(text: str) -> bool:
    return bool(_SCRIPT.search(text))


def has_html(text: str) -> bool:
    """An HTML tag or entity (`a < b > c` is not one)."""
    return bool(_HTML.search(text))


def quotable(sentence: str) -> bool:
    """Whether a digest may quote an article's sentence: no instruction to a model, link, markup or script."""
    return not (
        looks_like_instruction(sentence)
        or has_url(sentence)
        or has_markdown_link(sentence)
        or has_script(sentence)
        or has_html(sentence)
    )


def prompt_text(text: str) -> str:
    """Article text safe to place between the prompt's data delimiters."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _DELIMITER_LIKE.sub(" ", text)
    text = _TAG_LIKE.sub(lambda m: f"({m.group(1)}{m.group(2)})", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _clean_line(text: str) -> str:
    """`prompt_text` on one line: titles, publishers, summaries."""
    return prompt_text(text).replace("\n", " ")


_TITLE_SEPARATORS = ("｜", "|", " - ", " – ", " — ", "：", " : ")


def without_outlet(title: str, publishers: Sequence[str]) -> str:
    """A headline without the outlet name feeds and search results append ("… - 科技新報"): the
    prompt names the publisher once already."""
    for publisher in publishers:
        if not publisher:
            continue
        for separator in _TITLE_SEPARATORS:
            suffix = f"{separator}{publisher}"
            if title.endswith(suffix) and len(title) > len(suffix):
                return title[: -len(suffix)].rstrip()
    return title


@dataclass(frozen=True)
class PromptSource:
    id: int
    story: int
    """The story number (1-based) the source belongs to."""
    title: str
    publisher: str
    published: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class PromptStory:
    number: int
    title: str
    is_update: bool
    sources: tuple[PromptSource, ...]


@dataclass(frozen=True)
class Material:
    """The day's stories as prompt material, with what the checks need to know about them."""

    stories: tuple[PromptStory, ...]
    nonce: str
    """Marks the data delimiters; derived from the content, so article text cannot predict it."""
    instructions: tuple[str, ...]
    """Sentences of the articles that read as instructions to a model (injection attempts)."""

    @property
    def sources(self) -> list[PromptSource]:
        return [source for story in self.stories for source in story.sources]

    @property
    def source_story(self) -> dict[int, int]:
        """Source id -> story number."""
        return {source.id: source.story for source in self.sources}

    def trimmed(self, indexes: Sequence[int], article_tokens: int) -> list[PromptStory]:
        """The stories at these indexes with each article cut to the per-article budget: the first
        article of a story gets the budget, later ones a share of it. No sentence is given twice in
        one prompt (outlets repeat each other's leads, agencies' copy runs under several stories)."""
        chosen: list[PromptStory] = []
        seen: set[str] = set()
        for index in indexes:
            story = self.stories[index]
            sources = []
            for position, source in enumerate(story.sources):
                budget = article_tokens if position == 0 else max(int(article_tokens * FOLLOWER_SHARE), 40)
                text = trim_to_tokens(source.text, budget, skip=seen)
                sources.append(replace(source, text=text))
            chosen.append(PromptStory(story.number, story.title, story.is_update, tuple(sources)))
        return chosen


def build_material(stories: Sequence[Story]) -> Material:
    prompt_stories: list[PromptStory] = []
    instructions: list[str] = []
    next_id = 1
    for number, story in enumerate(stories, start=1):
        sources = []
        for article in story.articles:
            text = prompt_text(article.body)
            title = without_outlet(_clean_line(article.title), [_clean_line(article.publisher)])
            instructions.extend(
                sentence for sentence in [title, *split_sentences(text)] if looks_like_instruction(sentence)
            )
            published = article.published.date().isoformat() if article.published else ""
            publisher = _clean_line(article.publisher)
            sources.append(PromptSource(next_id, number, title, publisher, published, text, str(article.url)))
            next_id += 1
        title = without_outlet(_clean_line(story.title), [_clean_line(a.publisher) for a in story.articles])
        prompt_stories.append(PromptStory(number, title, story.is_update, tuple(sources)))
    digest = hashlib.sha256(
        json.dumps([s.model_dump(mode="json") for s in stories], sort_keys=True).encode()
    ).hexdigest()
    return Material(tuple(prompt_stories), digest[:12], tuple(dict.fromkeys(instructions)))


def defang(stories: Sequence[Story]) -> list[Story]:
    """The stories with delimiter-like markup and every unquotable sentence (an instruction to a
    model, a link, HTML or script) removed from article text, for a summarizer that quotes articles
    (the extractive one) to work from. The LLM's answer is checked for the same things instead."""
    cleaned: list[Story] = []
    for story in stories:
        articles = []
        for article in story.articles:
            lines = [_quotable_only(line) for line in prompt_text(article.text).splitlines()]
            summary = _quotable_only(_clean_line(article.summary))
            text = "\n".join(line for line in lines if line)
            articles.append(article.model_copy(update={"text": text, "summary": summary}))
        cleaned.append(story.model_copy(update={"articles": tuple(articles)}))
    return cleaned


def _quotable_only(line: str) -> str:
    return join_sentences(s for s in split_sentences(line) if quotable(s))
