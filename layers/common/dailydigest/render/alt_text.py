"""One sentence that describes the infographic, for the post's front matter (`image.alt`).

It names what the card shows: topic, date, the top headlines, and how many sources from which
hosts, ranked and grouped as the card's legend does. Pure text (no Pillow), one line, bounded in
length; the caller escapes it for its output.
"""

from __future__ import annotations

from dailydigest.models.digest import Digest
from dailydigest.render.escape import one_line
from dailydigest.render.image import MAX_LEGEND, source_mix
from dailydigest.render.locale import strings_for
from dailydigest.render.wrap import clip

MAX_HEADLINE = 60  # characters of a headline quoted in the sentence
MAX_HOST = 40  # characters of a host name (a DNS name may have 253): the card cuts long ones too


def image_alt(digest: Digest) -> str:
    """e.g. `QWEN 2026-03-12 每日動態資訊圖：焦點新聞「…」、「…」，附重點摘要與 4 則來源的出處分布（…）。`"""
    strings = strings_for(digest.locale)
    headlines = [clip(one_line(item.headline), MAX_HEADLINE) for item in digest.highlights[:3]]
    hosts = _hosts(digest, strings.others)
    sources = strings.source_count_for(len(digest.sources))
    name = one_line(digest.display_name)
    day = digest.date.isoformat()
    quoted = strings.join([strings.quoted.format(text=text) for text in headlines])
    mix = strings.list_separator.join(strings.host_count.format(host=host, count=n) for host, n in hosts)
    return strings.alt.format(name=name, date=day, headlines=quoted, sources=sources, mix=mix)


def _hosts(digest: Digest, others: str) -> list[tuple[str, int]]:
    """Up to as many hosts as the card's legend lists, ranked as the card ranks them (the legend
    may show fewer when long names do not fit, which only Pillow can measure)."""
    ranked = source_mix(digest)
    shown = [(clip(host, MAX_HOST), n) for host, n in ranked[:MAX_LEGEND]]
    rest = sum(n for _, n in ranked[MAX_LEGEND:])
    return shown + ([(others, rest)] if rest else [])
