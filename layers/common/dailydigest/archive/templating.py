"""The archive's Jinja environment and its per-locale words (kept with every reader-facing string in
render/locale.py).

Every archive template is HTML or XML, and every one autoescapes: text from the web (titles,
summaries, hosts) is escaped wherever it lands. The only value marked safe is the post body,
produced by `markup.markdown_to_html`, which cannot contain raw HTML from the post.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import jinja2

from dailydigest.locales import DEFAULT_LOCALE, LOCALES
from dailydigest.render.locale import ArchiveWords, strings_for

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


def render_page(name: str, **context: object) -> bytes:
    return environment().get_template(name).render(context).encode()


def words_for(locale: str) -> ArchiveWords:
    return strings_for(locale if locale in LOCALES else DEFAULT_LOCALE).archive


def majority_locale(locales: Iterable[str]) -> str:
    """The locale most posts use (the default on a tie or when there are none): the index's language."""
    counts = Counter(locales)
    return max(LOCALES, key=lambda code: (counts[code], code == DEFAULT_LOCALE))
