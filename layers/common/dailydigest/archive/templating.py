"""The archive's Jinja environment and its per-locale words.

Every archive template is HTML or XML, and every one autoescapes: text from the web (titles,
summaries, hosts) is escaped wherever it lands. The only value marked safe is the post body,
produced by `markup.markdown_to_html`, which cannot contain raw HTML from the post.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

from dailydigest.render.locale import strings_for

TEMPLATE_DIR = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        # `.html.j2`/`.xml.j2` do not end in html/xml, so list them; anything else escapes too.
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "xml", "html.j2", "xml.j2"),
            default_for_string=True,
            default=True,
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render(name: str, **context: object) -> bytes:
    return environment().get_template(name).render(context).encode()


@dataclass(frozen=True)
class Words:
    code: str
    site: str
    latest: str
    topics: str
    all_posts: str
    posts: str
    posts_one: str
    read_post: str  # the link to where the post was published (the publisher's location: the file on GitHub)
    feed: str
    home: str
    summary: str

    def source_count(self, count: int) -> str:
        """As the post's own infographic counts its sources."""
        return strings_for(self.code).source_count_for(count)

    def post_count(self, count: int) -> str:
        return self.posts_one if count == 1 else self.posts.format(count=count)


WORDS = {
    "zh-TW": Words(
        code="zh-TW",
        site="每日動態彙整",
        latest="最新文章",
        topics="主題",
        all_posts="全部文章",
        posts="{count} 篇",
        posts_one="1 篇",
        read_post="已發布的文章",
        feed="Atom 訂閱",
        home="首頁",
        summary="摘要",
    ),
    "en": Words(
        code="en",
        site="Daily digest archive",
        latest="Latest posts",
        topics="Topics",
        all_posts="All posts",
        posts="{count} posts",
        posts_one="1 post",
        read_post="The published post",
        feed="Atom feed",
        home="Home",
        summary="Summary",
    ),
}


def words_for(locale: str) -> Words:
    return WORDS.get(locale, WORDS["zh-TW"])


def majority_locale(locales: Iterable[str]) -> str:
    """The locale most posts use (zh-TW on a tie or when there are none): the index's language."""
    counts = Counter(locales)
    return max(WORDS, key=lambda code: (counts[code], code == "zh-TW"))
