"""Decode a fetched page to text: declared charsets first, then detection.

Order: a byte-order mark; the charset of the Content-Type header; the page's own `<meta charset>`
(or `http-equiv` Content-Type, or XML declaration) in its first bytes; then, when nothing is
declared or the declaration does not fit the bytes, charset-normalizer's detection. Labels follow
what browsers do: GB2312/GBK pages decode as GB18030 (their superset), Big5 as the WHATWG
Encoding Standard's Big5 decoder (below), ISO-8859-1 as windows-1252. Labels that name no text
encoding a web page can use (`undefined`, `base64`, `idna`, `utf-7`, ...) are ignored like unknown
ones, and a `<meta>` naming UTF-16 or UTF-32 means UTF-8 (a page readable as ASCII cannot be
UTF-16), as in browsers.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass

WHATWG_BIG5 = "whatwg-big5"
"""Big5 as browsers decode it (https://encoding.spec.whatwg.org/#big5-decoder).

Its index is Microsoft's cp950 over the standard Big5 area (so 0xA1FE is ／ U+FF0F and 0xA241 is
∕ U+2215, 0xA145 is ‧ U+2027, 0xA3E1 is €) and HKSCS-2008 over the Hong Kong extension areas
(lead bytes 0x81-0xA0 and 0xFA-0xFE, 0xC6A1-0xC8FE, 0xF9FE) with the ETEN control pictures at
0xA3C0-0xA3E0. Python has no such codec: cp950 lacks HKSCS and has the ETEN kana at 0xC6A1,
big5hkscs follows the older Big5 symbol mappings (0xA145 as •, 0xA241 as ／). So runs of the
standard area are decoded with cp950 and the extension pairs one by one with big5hkscs.
"""
_BIG5_STANDARD_PAIR = (
    rb"[\xa1\xa2\xa4-\xc5\xc9-\xf8][\x40-\x7e\xa1-\xfe]|\xa3[\x40-\x7e\xa1-\xbf\xe1-\xfe]"
    rb"|\xc6[\x40-\x7e]|\xf9[\x40-\x7e\xa1-\xfd]"
)
_BIG5_TOKENS = re.compile(
    rb"(?P<standard>(?:[\x00-\x7f]+|" + _BIG5_STANDARD_PAIR + rb")+)"
    rb"|(?P<extension>[\x81-\xfe][\x40-\x7e\xa1-\xfe])"
    rb"|(?P<invalid>[\x80-\xff])"
)
# 0xA3C0-0xA3E0: the ETEN control pictures U+2400-U+241F and U+2421.
_BIG5_CONTROL_PICTURES = {0xA3C0 + n: chr(0x2400 + n) for n in range(32)} | {0xA3E0: "\u2421"}


@functools.cache
def _cp950_extension_chars() -> re.Pattern[str]:
    """What cp950 reads from the pairs where the index differs from it (its ETEN kana, Cyrillic
    and symbols at 0xC6A1-0xC8FE, ▓ at 0xF9FE): characters that occur nowhere else in cp950."""
    found: set[str] = set()
    pairs = [
        (lead, trail) for lead in (0xC6, 0xC7, 0xC8) for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF))
    ]
    for lead, trail in [*pairs, (0xF9, 0xFE)]:
        if (lead, trail) < (0xC6, 0xA1):
            continue
        try:
            found.update(bytes((lead, trail)).decode("cp950"))
        except UnicodeDecodeError:
            continue
    return re.compile("[" + "".join(re.escape(char) for char in sorted(found)) + "]")


def decode_big5(body: bytes, errors: str = "strict") -> str:
    """Big5 bytes as a browser reads them (WHATWG_BIG5); errors 'strict' raises, 'replace' puts U+FFFD."""
    # Most pages hold only the standard area, where the index is cp950: one C-speed decode.
    try:
        text = body.decode("cp950")
    except UnicodeDecodeError:
        pass
    else:
        if not _cp950_extension_chars().search(text):
            return text
    parts: list[str] = []
    for match in _BIG5_TOKENS.finditer(body):
        start = match.start()
        chunk = match.group()
        if match.lastgroup == "standard":
            parts.append(chunk.decode("cp950", errors))
            continue
        if match.lastgroup == "extension":
            try:
                parts.append(
                    _BIG5_CONTROL_PICTURES.get(int.from_bytes(chunk, "big")) or chunk.decode("big5hkscs")
                )
                continue
            except UnicodeDecodeError:
                pass
        # An unmapped pair or a stray byte: one replacement for its lead byte; the next byte is read anew.
        if errors != "replace":
            raise UnicodeDecodeError("big5", body, start, start + 1, "not a Big5 character")
        parts.append("\ufffd")
        if match.lastgroup == "extension":
            parts.append(decode_big5(chunk[1:], errors))
    return "".join(parts)


def _decode(body: bytes, codec: str, errors: str = "strict") -> str:
    return decode_big5(body, errors) if codec == WHATWG_BIG5 else body.decode(codec, errors)


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
    "big5": (WHATWG_BIG5,),
    "cp950": (WHATWG_BIG5,),
    "big5hkscs": (WHATWG_BIG5,),
    "iso8859-1": ("cp1252",),
    "ascii": ("cp1252",),
    "cp1252": ("cp1252",),
}
# The Encoding Standard's labels for Big5 that Python does not know (or knows as another codec).
_BIG5_LABELS = frozenset({"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"})
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
    if label.strip().lower() in _BIG5_LABELS:
        return (WHATWG_BIG5,)
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
            return Decoded(_decode(body, codec), codec, source)
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
            return Decoded(_decode(body, codec), codec, "detected")
        except (UnicodeError, LookupError):
            continue
    # Nothing fits every byte: the best guess, with the odd bad byte replaced.
    fallback = candidates[0][0] if candidates else (detected[0] if detected else "utf-8")
    return Decoded(_decode(body, fallback, "replace"), fallback, "fallback")


def _detect(body: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:_DETECT_BYTES]).best()
    return best.encoding if best is not None else ""
