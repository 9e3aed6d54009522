"""Versioned prompt templates, one set per locale: `{locale}/{name}.{PROMPT_VERSION}.j2`.

Changing a template's meaning means a new version (new files and a new PROMPT_VERSION): the version
is part of the digest cache key and is recorded in every digest. The templates receive article text
already cleaned by `material.prompt_text`; Jinja renders values as data, never as template code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from dailydigest.locales import LOCALES

if TYPE_CHECKING:
    import jinja2

PROMPT_VERSION = "v2"
PROMPT_DIR = Path(__file__).parent

Name = Literal["system", "digest", "notes", "repair"]


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # Jinja loads with the first prompt: a run answered from the digest cache renders none.
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROMPT_DIR),
        autoescape=False,  # noqa: S701 -- plain-text prompts, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )


def template_name(name: Name, locale: str) -> str:
    if locale not in LOCALES:
        raise ValueError(f"no prompts for locale {locale!r} (have: {', '.join(LOCALES)})")
    return f"{locale}/{name}.{PROMPT_VERSION}.j2"


def render_prompt(name: Name, locale: str, **context: Any) -> str:
    """One prompt message's text."""
    return _environment().get_template(template_name(name, locale)).render(**context).strip() + "\n"
