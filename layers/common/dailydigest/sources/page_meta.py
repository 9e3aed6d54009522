"""What a fetched page says about itself in its <head>: the address it names as its own.

A page names its canonical address in `<link rel="canonical" href>` (what search engines follow) or,
failing that, in Open Graph's `<meta property="og:url" content>`. Both are taken only on the page's
own registrable site (`m.news.example` may name `www.news.example`, never `other.example`: a
syndicated copy pointing at the original publisher is still the copy we read), over http(s), and
never when a deep page names its site's home page (a common template mistake that would fold every
article of a site into one).
"""

from __future__ import annotations

import ipaddress
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

_HEAD_SCAN_CHARS = 300_000
"""Past this, a page's <head> is over (its tags sit before the body text)."""


class _HeadLinks(HTMLParser):
    """Collects rel=canonical and og:url from the head, stopping at <body>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: list[str] = []
        self.og_url: list[str] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        values = {name.lower(): (value or "").strip() for name, value in attrs}
        if tag == "body":
            self.done = True
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical.append(values.get("href", ""))
        elif tag == "meta" and values.get("property", values.get("name", "")).lower() == "og:url":
            self.og_url.append(values.get("content", ""))


def declared_canonical(page_text: str, page_url: str) -> str | None:
    """The canonical address the page names for itself on its own site, or None."""
    head = page_text[:_HEAD_SCAN_CHARS]
    body_at = head.lower().find("<body")
    parser = _HeadLinks()
    try:
        parser.feed(head if body_at < 0 else head[: body_at + len("<body>")])
        parser.close()
    except Exception:  # markup the parser cannot follow names no canonical we can trust
        return None
    # Two different rel=canonical links contradict each other: search engines then ignore both.
    canonicals = {urljoin(page_url, href) for href in parser.canonical if href}
    if len(canonicals) == 1:
        candidates = list(canonicals)
    elif not canonicals:
        candidates = [urljoin(page_url, content) for content in parser.og_url if content][:1]
    else:
        return None
    for candidate in candidates:
        if _acceptable(candidate, page_url):
            return _secure_like(candidate, page_url)
    return None


def _secure_like(candidate: str, page_url: str) -> str:
    # Templates keep naming an http:// canonical long after a site moved to https: the page we read
    # came over https, so that is how it is cited.
    target, page = urlsplit(candidate), urlsplit(page_url)
    if target.scheme.lower() == "http" and page.scheme.lower() == "https":
        return urlunsplit(("https", *target[1:]))
    return candidate


def _acceptable(candidate: str, page_url: str) -> bool:
    target, page = urlsplit(candidate), urlsplit(page_url)
    if target.scheme.lower() not in ("http", "https") or not target.hostname:
        return False
    if target.path.strip("/") == "" and page.path.strip("/") != "":
        return False
    if _is_address(target.hostname):  # a site known only by its address is that address and port
        return (target.hostname, target.port) == (page.hostname, page.port)
    return same_site(target.hostname, page.hostname or "")


def same_site(left: str, right: str) -> bool:
    """Whether two host names belong to one registrable site (public suffix list, private part too)."""
    left, right = left.lower().rstrip("."), right.lower().rstrip(".")
    if left == right:
        return True
    if _is_address(left) or _is_address(right):
        return False
    site = registrable_domain(left)
    return site is not None and site == registrable_domain(right)


def registrable_domain(host: str) -> str | None:
    """`news.example.co.uk` -> `example.co.uk`; `qwen.github.io` stays itself (github.io is a suffix).

    A host under a suffix the list does not know (`.example`, `.test`, `.internal`) counts by its
    last two labels.
    """
    from tld import get_fld  # loaded only when a page is read, like the extractor

    found = get_fld(host, fix_protocol=True, fail_silently=True, search_private=True)
    if isinstance(found, str):
        return found
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else None


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
