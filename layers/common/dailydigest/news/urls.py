"""Links as found and as cited: tracking removed (`clean_url`), and a page's identity (`canonical_url`).

`clean_url` keeps a link working and fit to cite; `canonical_url` is only a key for telling copies
of one page apart from different pages (it folds `www.`/`m.`/`amp.` hosts, AMP paths and AMP cache
copies, the scheme and a trailing slash), never an address to link to.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, unquote_plus, urlencode, urlsplit, urlunsplit

_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref", "ref_src", "ref_url",
        "spm", "scm", "cmpid", "ocid", "soc_src", "soc_trk", "ncid", "sr_share", "amp", "output",
        "outputtype",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmsr")
_MOBILE_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
GOOGLE_NEWS_HOST = "news.google.com"


def _is_tracking(key: str, value: str) -> bool:
    folded = key.lower()
    if folded in ("output", "outputtype"):
        return value.lower() == "amp"
    return folded in _TRACKING_PARAMS or folded.startswith(_TRACKING_PREFIXES)


def clean_url(url: str) -> str:
    """The URL without tracking parameters and fragment: still a working link, fit to cite.

    The parameters kept are kept as written: re-encoding them would turn `?12345` into `?12345=`
    or `a=1;b=2` into `a=1%3Bb%3D2`, links some sites no longer answer.
    """
    parts = urlsplit(url.strip())
    kept = [piece for piece in parts.query.split("&") if piece and not _is_tracking_piece(piece)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "&".join(kept), ""))


def _is_tracking_piece(piece: str) -> bool:
    key, _, value = piece.partition("=")
    return _is_tracking(unquote_plus(key), unquote_plus(value))


def _amp_cache_origin(url: str) -> str | None:
    # https://www-news-example.cdn.ampproject.org/c/s/www.news.example/a.html -> https://www.news.example/a.html
    parts = urlsplit(url.strip())
    if not (parts.hostname or "").lower().endswith(".cdn.ampproject.org"):
        return None
    segments = parts.path.split("/")
    if len(segments) < 4 or segments[1] not in ("c", "v", "i"):
        return None
    secure = segments[2] == "s"
    rest = "/".join(segments[3:] if secure else segments[2:])
    # The cache's own viewer parameters (amp_js_v, amp_gsa, usqp, ...) are not part of the page.
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.startswith(("amp_", "usqp"))
        ]
    )
    return f"{'https' if secure else 'http'}://{unquote(rest)}" + (f"?{query}" if query else "")


def is_aggregator_link(url: str) -> bool:
    """A link to an aggregator's own page (news.google.com), not to the publisher's article."""
    return urlsplit(url).hostname == GOOGLE_NEWS_HOST


def google_news_item(path: str) -> str | None:
    """The item token at the end of a Google News link's path (`/rss/articles/ID`, `/read/ID`)."""
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) >= 2 and segments[-2] in ("articles", "read"):
        return segments[-1]
    return None


def is_mobile_or_amp(url: str) -> bool:
    """Whether the link is a page's mobile or AMP copy (an `m.`/`amp.` host, an AMP path or cache)."""
    if _amp_cache_origin(url):
        return True
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith(("m.", "mobile.", "amp.")) and host.count(".") > 1:
        return True
    path = parts.path.lower()
    query = dict(parse_qsl(parts.query.lower(), keep_blank_values=True))
    return (
        "amp" in path.split("/")
        or path.endswith((".amp", ".amp.html"))
        or "amp" in query
        or "amp" in (query.get("output", ""), query.get("outputtype", ""))
    )


def canonical_url(url: str) -> str:
    """The identity of a page: scheme, `www.`/`m.` hosts, AMP variants and AMP cache copies,
    trailing slash and tracking folded; Google News's several links to one item are one."""
    url = _amp_cache_origin(url) or url
    parts = urlsplit(clean_url(url))
    host = (parts.hostname or "").lower()
    if host == GOOGLE_NEWS_HOST and (item := google_news_item(parts.path)):
        return f"https://{GOOGLE_NEWS_HOST}/articles/{item}"
    for prefix in _MOBILE_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    segments = [segment for segment in parts.path.split("/") if segment and segment.lower() != "amp"]
    path = "/" + "/".join(segments)
    for amp_suffix in (".amp.html", ".amp"):
        if path.lower().endswith(amp_suffix):
            path = path[: -len(amp_suffix)] + (".html" if amp_suffix == ".amp.html" else "")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit(("https", host, path, query, ""))
