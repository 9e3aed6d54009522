"""The post's YAML front matter, written by PyYAML (never templated text).

Quoting follows the reference post: title, tagline, tags and ai_summary double-quoted, the date
unquoted (Jekyll reads it as a date), categories a plain flow list, everything else plain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import yaml

from dailydigest.models.digest import FIXED_TAGS


class DoubleQuoted(str):
    """A string dumped as a double-quoted scalar."""

    __slots__ = ()


class FlowList(tuple[str, ...]):
    """A list dumped in flow style: `[a, b]`."""

    __slots__ = ()


class QuotedFlowList(tuple[str, ...]):
    """A list dumped in flow style with double-quoted items: `["a", "b"]`."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    """SafeDumper plus the representers above (registered on this subclass only)."""


def _represent_quoted(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _represent_flow(dumper: yaml.SafeDumper, data: tuple[str, ...]) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", [str(item) for item in data], flow_style=True)


def _represent_quoted_flow(dumper: yaml.SafeDumper, data: tuple[str, ...]) -> yaml.SequenceNode:
    items = [DoubleQuoted(item) for item in data]
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


_Dumper.add_representer(DoubleQuoted, _represent_quoted)
_Dumper.add_representer(FlowList, _represent_flow)
_Dumper.add_representer(QuotedFlowList, _represent_quoted_flow)


def dump_front_matter(fields: Mapping[str, object]) -> str:
    """The YAML between the `---` fences, keys in the given order, one line per key."""
    return yaml.dump(
        dict(fields),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=float("inf"),  # never wrap: the reference keeps every value on one line
    )


def merge_tags(own: Iterable[str], display_name: str) -> tuple[str, ...]:
    """The digest's tags, then the display name, "AI" and "Digest"; exact duplicates dropped.
    Case variants stay, as in the reference (`Qwen` from the digest beside the fixed `QWEN`)."""
    seen: set[str] = set()
    merged: list[str] = []
    for tag in (*own, display_name, *FIXED_TAGS):
        key = tag.strip()
        if key not in seen:
            seen.add(key)
            merged.append(tag)
    return tuple(merged)


def post_front_matter(
    *,
    title: str,
    tagline: str,
    date: dt.date,
    slug: str,
    tags: Iterable[str],
    image: str,
    ai_summary: str,
    image_alt: str = "",
    extra: Mapping[str, object] | None = None,
) -> str:
    """The reference's keys in the reference's order, then any `extra` keys (provenance notes that
    only non-LLM posts carry, so an LLM post keeps exactly the reference's keys)."""
    return dump_front_matter(
        {
            "layout": "post",
            "title": DoubleQuoted(title),
            "tagline": DoubleQuoted(tagline),
            "date": date,
            "model": slug,
            "categories": FlowList((slug, "daily")),
            "tags": QuotedFlowList(tags),
            # With alt text, `image` takes the {path, alt} form that Chirpy and jekyll-seo-tag read.
            "image": {"path": image, "alt": DoubleQuoted(image_alt)} if image_alt else image,
            "ai_summary": DoubleQuoted(ai_summary),
            **(extra or {}),
        }
    )
