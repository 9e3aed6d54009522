"""Page decoding: declared charsets first (header, then the page's own), detection when none fits."""

from __future__ import annotations

import pytest

from dailydigest.web.charset import WHATWG_BIG5, declared_charset, decode_big5, decode_html, header_charset
from tests.support.news_fixtures import BIG5_PAGE, BIG5_TITLE, page

TRADITIONAL = "國家高速網路中心今天宣布，雲雀模型將部署在臺灣學術網路的運算節點，供各大學研究團隊申請使用。"


def test_a_big5_page_declared_in_the_header_decodes() -> None:
    body = BIG5_PAGE.encode("big5")
    decoded = decode_html(body, "text/html; charset=Big5")
    assert BIG5_TITLE in decoded.text
    assert TRADITIONAL in decoded.text
    assert decoded.source == "header"


def test_a_big5_page_declared_only_in_its_meta_tag_decodes() -> None:
    decoded = decode_html(BIG5_PAGE.encode("big5"), "text/html")
    assert TRADITIONAL in decoded.text
    assert decoded.source == "meta"


def test_a_big5_page_declaring_nothing_is_detected() -> None:
    undeclared = BIG5_PAGE.replace('<meta charset="big5">', "")
    decoded = decode_html(undeclared.encode("big5"), "text/html")
    assert TRADITIONAL in decoded.text
    assert decoded.source == "detected"


def test_a_wrong_header_charset_gives_way_to_the_page_declaration() -> None:
    # Servers often default to UTF-8 in the header while the page is Big5 and says so itself.
    decoded = decode_html(BIG5_PAGE.encode("big5"), "text/html; charset=utf-8")
    assert TRADITIONAL in decoded.text
    assert decoded.encoding == WHATWG_BIG5


def test_big5_vendor_extensions_decode() -> None:
    # 碁 and 銹 are in the common Big5 extensions (cp950), not in strict Big5.
    text = page("碁盤與銹蝕", "圍棋的碁盤與金屬的銹蝕。", charset="big5")
    decoded = decode_html(text.encode("cp950"), "text/html; charset=big5")
    assert "碁盤與銹蝕" in decoded.text


def test_a_gb2312_label_decodes_as_gb18030() -> None:
    # 镕 is outside GB2312: pages labelled gb2312 are really GBK/GB18030, as browsers assume.
    text = page("朱镕基", "简体中文页面，标示为 gb2312。", charset="gb2312")
    decoded = decode_html(text.encode("gb18030"), "text/html")
    assert "朱镕基" in decoded.text
    assert decoded.encoding == "gb18030"


SIMPLIFIED = (
    "阿里巴巴今天发布了新一代大语言模型，在多项评测中取得领先成绩。"
    "开发者可以通过云端接口调用该模型，价格比上一代降低了一半。"
)


@pytest.mark.parametrize(
    ("content_type", "declared", "source"),
    [
        ("text/html; charset=GBK", "", "header"),
        ("text/html", "gbk", "meta"),
        ("text/html", "", "detected"),
    ],
)
def test_a_gbk_page_decodes(content_type: str, declared: str, source: str) -> None:
    # Given a simplified-Chinese page encoded as GBK, declared in the header, in the page, or nowhere
    html = page("大模型发布", SIMPLIFIED, charset=declared or "none")
    if not declared:
        html = html.replace('<meta charset="none">', "")

    decoded = decode_html(html.encode("gbk"), content_type)

    # Then it reads as written, through GB18030 (GBK's superset)
    assert SIMPLIFIED in decoded.text
    assert (decoded.encoding, decoded.source) == ("gb18030", source)


@pytest.mark.parametrize(
    ("body", "content_type", "text"),
    [
        (b"\xef\xbb\xbf<p>BOM \xe6\x96\xb0</p>", "text/html; charset=big5", "<p>BOM 新</p>"),
        (b"<p>caf\xe9</p>", "text/html; charset=ISO-8859-1", "<p>café</p>"),
        ("<p>雲雀</p>".encode(), "text/html", "<p>雲雀</p>"),
        (b"<p>plain</p>", "", "<p>plain</p>"),
    ],
)
def test_other_declarations(body: bytes, content_type: str, text: str) -> None:
    assert decode_html(body, content_type).text == text


def test_undecodable_bytes_are_replaced_not_fatal() -> None:
    decoded = decode_html(b"<p>\xff\xfe\xfa broken \x81</p>", "text/html; charset=utf-8")
    assert "broken" in decoded.text


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b'<html><head><meta charset="Big5">', "Big5"),
        (b"<meta charset=gbk>", "gbk"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=big5">', "big5"),
        (b'<?xml version="1.0" encoding="BIG5"?><rss/>', "BIG5"),
        (b"<html><body>no declaration</body></html>", ""),
    ],
)
def test_declared_charset(head: bytes, charset: str) -> None:
    assert declared_charset(head) == charset


def test_header_charset() -> None:
    assert header_charset('text/html; charset="big5"') == "big5"
    assert header_charset("text/html") == ""


@pytest.mark.parametrize(
    "label", ["undefined", "base64", "rot13", "idna", "utf-7", "unicode_escape", "no-such"]
)
@pytest.mark.parametrize("where", ["header", "meta"])
def test_labels_that_are_no_page_encoding_are_ignored(label: str, where: str) -> None:
    # Given a UTF-8 page declaring a Python codec that is no web encoding (some fail on any input)
    head = f'<meta charset="{label}">' if where == "meta" else ""
    body = f"<html><head>{head}</head><body><p>{TRADITIONAL}</p></body></html>".encode()

    decoded = decode_html(body, f"text/html; charset={label}" if where == "header" else "text/html")

    # Then the declaration is ignored like an unknown one, and the page still reads
    assert TRADITIONAL in decoded.text
    assert decoded.encoding == "utf-8"


@pytest.mark.parametrize(
    ("content_type", "head"),
    [("text/html; charset=utf-16", ""), ("text/html", '<meta charset="utf-16">')],
)
def test_a_utf16_declaration_on_8_bit_text_is_not_believed(content_type: str, head: str) -> None:
    body = f"<html><head>{head}</head><body><p>{TRADITIONAL}</p></body></html>".encode()
    assert TRADITIONAL in decode_html(body, content_type).text


def test_a_real_utf16_page_decodes_as_declared() -> None:
    body = f"<html><body><p>{TRADITIONAL}</p></body></html>".encode("utf-16-le")
    decoded = decode_html(body, "text/html; charset=utf-16le")
    assert (TRADITIONAL in decoded.text, decoded.encoding) == (True, "utf-16-le")


# --- Big5 as browsers decode it (the WHATWG Encoding Standard's index) ----------------------------------


@pytest.mark.parametrize(
    ("hex_bytes", "text"),
    [
        # The standard area follows cp950 (the index's pointers 5029, 5038, 5180-5188, 5465).
        ("a1fe", "／"),  # U+FF0F: how cp950 and the WHATWG encoder write a fullwidth solidus
        ("a241", "∕"),  # U+2215 in the index (big5hkscs would say ／)
        ("a240", "＼"),
        ("a145", "‧"),  # U+2027 (big5hkscs: •)
        ("a14e", "﹑"),
        ("a1e3", "～"),
        ("a244", "￥"),
        ("a3e1", "€"),
        ("a3c0", "\u2400"),  # an ETEN control picture
        # The Hong Kong extensions follow HKSCS-2008.
        ("c6a1", "①"),  # cp950 has the ETEN kana ヾ here
        ("f9fe", "￭"),  # U+FFED (cp950: ▓)
        ("8862", "\u00ca\u0304"),  # one pair, two code points
        ("8840", "\u31c0"),  # pointer 1099, the first HKSCS stroke
        # Ideographs, ASCII around them
        ("a4a4a4e5", "中文"),
        ("3c703ea4a43c2f703e", "<p>中</p>"),
    ],
)
def test_big5_decodes_as_browsers_do(hex_bytes: str, text: str) -> None:
    assert decode_big5(bytes.fromhex(hex_bytes)) == text


def test_a_fullwidth_solidus_in_a_big5_page_stays_one() -> None:
    # Given a page as a Big5 server writes it (cp950's encoder, the WHATWG encoder's choice for ／)
    body = page("雲雀／天氣", "台北／高雄兩地今天都有雨。", charset="big5").encode("cp950")
    decoded = decode_html(body, "text/html; charset=big5")
    assert "台北／高雄" in decoded.text
    assert "∕" not in decoded.text
    assert decoded.encoding == WHATWG_BIG5


@pytest.mark.parametrize("label", ["big5", "Big5-HKSCS", "x-x-big5", "cn-big5", "csbig5", "cp950"])
def test_every_big5_label_uses_the_same_decoder(label: str) -> None:
    decoded = decode_html("中文".encode("cp950"), f"text/html; charset={label}")
    assert (decoded.text, decoded.encoding) == ("中文", WHATWG_BIG5)


def test_bad_big5_bytes_are_replaced_without_eating_the_markup_after_them() -> None:
    # A lead byte followed by "<" is one error; the "<" is read again as markup.
    assert decode_big5(b"\xa4<p>\x80\xa4\xa4", "replace") == "\ufffd<p>\ufffd中"
    with pytest.raises(UnicodeDecodeError):
        decode_big5(b"\xa4<p>")
