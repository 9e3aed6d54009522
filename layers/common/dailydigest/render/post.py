"""Digest -> Jekyll post text, shaped exactly like the reference post."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from dailydigest.models.digest import Digest, Highlight
from dailydigest.render.alt_text import image_alt
from dailydigest.render.escape import escape_html, escape_markdown, escape_url
from dailydigest.render.frontmatter import merge_tags, post_front_matter
from dailydigest.render.locale import LocaleStrings, strings_for
from dailydigest.store.keys import image_path

TEMPLATE_DIR = Path(__file__).parent / "templates"
LINE_BREAK = "  "  # Markdown hard line break, as in the reference


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=False,  # noqa: S701 -- the output is Markdown; values are escaped by escape.py
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_post(digest: Digest) -> str:
    """The post's full text: front matter, the six sections, the honest footer."""
    strings = strings_for(digest.locale)
    name = digest.display_name
    count = len(digest.sources)
    front_matter = post_front_matter(
        title=escape_html(strings.title_for(name, digest.date.isoformat())),
        tagline=escape_html(strings.tagline_for(name, count)),
        date=digest.date,
        slug=digest.topic,
        tags=[escape_html(tag) for tag in merge_tags(digest.tags, name)],
        image="/" + image_path(digest.topic, digest.date),
        image_alt=escape_html(image_alt(digest)),
        ai_summary=escape_html(digest.ai_summary),
        extra=_provenance(digest),
    )
    context: dict[str, Any] = {
        "L": strings,
        "BR": LINE_BREAK,
        "front_matter": front_matter,
        "trend": escape_markdown(digest.trend_overview),
        "highlights": [_highlight(item, strings) for item in digest.highlights],
        "analysis": [
            (label, escape_markdown(text))
            for label, text in zip(
                strings.analysis_labels,
                (digest.analysis.significance, digest.analysis.comparison, digest.analysis.market_impact),
                strict=True,
            )
        ],
        "key_points": [escape_markdown(point) for point in digest.key_points],
        "implications": [
            (strings.developers, [escape_markdown(item) for item in digest.implications.developers]),
            (strings.users, [escape_markdown(item) for item in digest.implications.users]),
        ],
        "sources": [
            {"title": escape_markdown(source.title), "url": escape_url(str(source.url))}
            for source in digest.sources
        ],
        "footer": strings.footer_for(digest.generator, count),
    }
    return _environment().get_template("post.md.j2").render(context)


def _provenance(digest: Digest) -> dict[str, object] | None:
    """Front matter that says a post was not written by the LLM (and whether one was tried and failed)."""
    if digest.generator != "extractive":
        return None
    return {"generator": "extractive", **({"llm_fallback": True} if digest.fallback_reason else {})}


def _highlight(item: Highlight, strings: LocaleStrings) -> dict[str, str]:
    # The marker goes outside the escaped text so the parser can tell it from the headline.
    marker = strings.update_marker if item.is_update else ""
    return {"headline": marker + escape_markdown(item.headline), "body": escape_markdown(item.body)}
