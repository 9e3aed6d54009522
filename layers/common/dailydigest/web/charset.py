"""Decode a fetched page to text: declared charsets first, then detection.

Order: a byte-order mark; the charset of the Content-Type header; the page's own `<meta charset>`
(or `http-equiv` Content-Type, or XML declaration) in its first bytes; then, when nothing is
declared or the declaration does not fit the bytes, charset-normalizer's detection. Labels follow
what browsers do: GB2312/GBK pages decode as GB18030 (their superset), Big5 with the common
vendor extensions, ISO-8859-1 as windows-1252. Labels that name no text encoding a web page can
use (`undefined`, `base64`, `idna`, `utf-7`, ...) are ignored like unknown ones, and a `<meta>`
naming UTF-16 or UTF-32 means UTF-8 (a page readable as ASCII cannot be UTF-16), as in browsers.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_SNIFF_BYTES = 4096
_DETECT_BYTES = 262_144
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

# Label -> the codecs to try, in order (the first is the browsers' choice for that label).
_SUPERSETS: dict[str, tuple[str, ...]] = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs", "cp950"),
    "iso8859-1": ("cp1252",),
    "ascii": ("cp1252",),
    "cp1252": ("cp1252",),
}
# Python codecs that are not web page encodings: decoding with them fails oddly, or always.
_NOT_PAGE_ENCODINGS = frozenset(
    {"undefined", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "utf-7", "mbcs", "oem"}
)
_WIDE = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    source: str
    """Where the encoding came from: bom, header, meta, detected or fallback."""


def header_charset(content_type: str) -> str:
    """The charset parameter of a Content-Type header ('' when absent)."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else ""


def declared_charset(body: bytes) -> str:
    """The charset a page or XML document declares in its first bytes ('' when it declares none)."""
    head = body[:_SNIFF_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "ignore") if match else ""


def _codecs_for(label: str, in_page: bool = False) -> tuple[str, ...]:
    if not label:
        return ()
    try:
        info = codecs.lookup(label.strip().lower())
    except LookupError:
        return ()
    name = info.name.replace("_", "-")
    # base64, zlib, rot13 and friends are bytes-to-bytes or str-to-str transforms, not encodings.
    if not getattr(info, "_is_text_encoding", True) or name in _NOT_PAGE_ENCODINGS:
        return ()
    if in_page and name in _WIDE:
        return ("utf-8",)
    return _SUPERSETS.get(info.name, (info.name,))


def decode_html(body: bytes, content_type: str = "") -> Decoded:
    """The page as text, decoded as declared when the declaration fits, else as detected."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(encoding, "replace"), encoding, "bom")
    candidates: list[tuple[str, str]] = []
    # UTF-16/32 markup is full of NUL bytes: a header saying so about 8-bit text is wrong.
    eight_bit = b"\x00" not in body[:_SNIFF_BYTES]
    declarations = ((header_charset(content_type), "header", False), (declared_charset(body), "meta", True))
    for label, source, in_page in declarations:
        for codec in _codecs_for(label, in_page):
            if codec not in (c for c, _ in candidates) and not (eight_bit and codec in _WIDE):
                candidates.append((codec, source))
    for codec, source in candidates:
        try:
            return Decoded(body.decode(codec), codec, source)
        except (UnicodeError, LookupError):
            continue
    if not candidates:
        try:
            return Decoded(body.decode("utf-8"), "utf-8", "detected")
        except UnicodeDecodeError:
            pass
    detected = _codecs_for(_detect(body))
    for codec in detected:
        try:
            return Decoded(body.decode(codec), codec, "detected")
        except (UnicodeError, LookupError):
            continue
    # Nothing fits every byte: the best guess, with the odd bad byte replaced.
    fallback = candidates[0][0] if candidates else (detected[0] if detected else "utf-8")
    return Decoded(body.decode(fallback, "replace"), fallback, "fallback")


def _detect(body: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:_DETECT_BYTES]).best()
    return best.encoding if best is not None else ""
