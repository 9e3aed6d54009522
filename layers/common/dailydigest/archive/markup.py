"""A post's Markdown as HTML that cannot carry raw HTML, scripts or unsafe links.

Three layers, so one mistake is not enough:
1. Python-Markdown's raw-HTML handling is removed (the `html_block` preprocessor and the `html`
   inline pattern), so `<script>` in the post is plain text that the serializer escapes;
2. a tree processor keeps only an allow-list of elements and attributes, drops any link whose
   destination (decoded the way a browser decodes it) is not http(s) or mailto, and turns images
   into their alt text (the archive loads no external assets);
3. the finished HTML is parsed again and checked against the same allow-list; if anything else
   slipped through, the whole body falls back to escaped preformatted text.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from dailydigest.archive.index import xml_safe

ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote"}
    | {"em", "strong", "code", "pre", "a", "span"}
)
ALLOWED_ATTRIBUTES = {"a": frozenset({"href", "title", "rel"}), "ol": frozenset({"start"})}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Browsers drop ASCII tab and newline anywhere in a URL and C0 controls/space at its start.
_URL_NOISE = re.compile(r"[\t\n\r]|^[\x00-\x20]+")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def markdown_to_html(text: str) -> str:
    """The post body (front matter removed) as sanitised HTML."""
    body = xml_safe(_FRONT_MATTER.sub("", text, count=1))
    converter = markdown.Markdown(
        extensions=[_NoRawHtml()],
        tab_length=2,  # the post nests lists by two spaces, as kramdown reads them
        output_format="html",
    )
    rendered = converter.convert(body)
    if not is_clean(rendered):
        return "<pre>" + html.escape(body) + "</pre>"
    return rendered


def safe_href(value: str) -> bool:
    """Whether a link destination, as the browser will decode it, is http(s) or mailto."""
    decoded = _URL_NOISE.sub("", html.unescape(value)).lower()
    return decoded.startswith(SAFE_SCHEMES)


def is_clean(fragment: str) -> bool:
    checker = _AllowListChecker()
    checker.feed(fragment)
    checker.close()
    return checker.clean


class _Sanitise(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for child in list(parent):
                self._clean(child)

    @staticmethod
    def _clean(element: etree.Element) -> None:
        if element.tag == "img":
            alt = element.get("alt", "")
            element.clear()
            element.tag, element.text = "span", alt
            return
        if element.tag not in ALLOWED_TAGS:
            element.tag = "span"
        allowed = ALLOWED_ATTRIBUTES.get(element.tag, frozenset())
        for name in list(element.attrib):
            if name not in allowed:
                del element.attrib[name]
        if element.tag == "a":
            href = element.get("href", "")
            if safe_href(href):
                element.set("rel", "nofollow noopener noreferrer")
            else:
                element.tag = "span"
                element.attrib.clear()


class _NoRawHtml(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After the inline patterns built links and images, before serialization.
        md.treeprocessors.register(_Sanitise(md), "dailydigest_sanitise", 15)


class _AllowListChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.clean = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.clean = False
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            if name not in allowed or (name == "href" and not safe_href(value or "")):
                self.clean = False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            self.clean = False

    def handle_comment(self, data: str) -> None:
        self.clean = False

    def handle_decl(self, decl: str) -> None:
        self.clean = False

    def handle_pi(self, data: str) -> None:
        self.clean = False

    def unknown_decl(self, data: str) -> None:
        self.clean = False
