"""One sentence that describes the infographic, for the post's front matter (`image.alt`).

It names what the card shows: topic, date, the top headlines, and how many sources from which
hosts, ranked and grouped as the card's legend does. Pure text (no Pillow), one line, bounded in
length; the caller escapes it for its output.
"""

from __future__ import annotations

from dailydigest.models.digest import Digest
from dailydigest.render.escape import one_line
from dailydigest.render.image import MAX_LEGEND, source_mix

MAX_HEADLINE = 60  # characters of a headline quoted in the sentence
MAX_HOSTS = MAX_LEGEND  # as many hosts as the card's legend shows, so the alt text reads like the card
MAX_HOST = 40  # characters of a host name (a DNS name may have 253): the card cuts long ones too


def image_alt(digest: Digest) -> str:
    """e.g. `QWEN 2026-03-12 每日動態資訊圖：焦點新聞「…」、「…」，附重點摘要與 4 則來源的出處分布（…）。`"""
    headlines = [_clip(one_line(item.headline)) for item in digest.highlights[:3]]
    hosts = _hosts(digest, others="others" if digest.locale == "en" else "其他")
    count = len(digest.sources)
    name = one_line(digest.display_name)
    day = digest.date.isoformat()
    if digest.locale == "en":
        quoted = _english_list([f"“{text}”" for text in headlines])
        mix = ", ".join(f"{host} {n}" for host, n in hosts)
        noun = "source" if count == 1 else "sources"
        return (
            f"Infographic for {name} on {day}: top stories {quoted}, key takeaways, "
            f"and {count} {noun} by publisher ({mix})."
        )
    quoted = "、".join(f"「{text}」" for text in headlines)
    mix = "、".join(f"{host} {n} 則" for host, n in hosts)
    return f"{name} {day} 每日動態資訊圖：焦點新聞{quoted}，附重點摘要與 {count} 則來源的出處分布（{mix}）。"


def _hosts(digest: Digest, others: str) -> list[tuple[str, int]]:
    ranked = source_mix(digest)  # the card's own ranking of hosts
    shown = [(_clip(host, MAX_HOST), n) for host, n in ranked[:MAX_HOSTS]]
    rest = sum(n for _, n in ranked[MAX_HOSTS:])
    return shown + ([(others, rest)] if rest else [])


def _clip(text: str, limit: int = MAX_HEADLINE) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _english_list(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
