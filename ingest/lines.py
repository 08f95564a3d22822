"""Documents as numbered lines of text: plain text as it is, HTML flattened block by block.

Every parser works on `Line` values so that each action keeps the line (and page) it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from pcs_graph.text import normalize_space

_BLOCKS = {"title", "p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
           "section", "article", "header", "footer", "td", "th", "dd", "dt", "blockquote", "pre"}
_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "svg", "textarea"}  # never plan text


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line in the source file
    text: str
    page: int | None = None
    bullet: bool = False  # an <li> of HTML (text bullets are recognised by the parsers)


def where(source: str, line: Line) -> str:
    """The source to name in an error about `line`: a PDF's line numbers restart on each page."""
    return source if line.page is None else f"{source} (page {line.page})"


def text_lines(text: str, page: int | None = None) -> list[Line]:
    return [Line(i, raw.rstrip(), page) for i, raw in enumerate(text.split("\n"), start=1)]


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<body" in head or "<ul" in head or "<p>" in head or "<!doctype html" in head


class _Flattener(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self._buf: list[str] = []
        self._start = 1
        self._skip = 0
        self._in_li = False

    def _flush(self) -> None:
        text = normalize_space("".join(self._buf))
        if text:
            self.lines.append(Line(self._start, text, bullet=self._in_li))
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCKS:
            self._flush()
            if tag == "li":
                self._in_li = True  # and stays so through <p>, <div>... inside the item
            elif tag in ("ul", "ol"):
                self._in_li = False
            self._start = self.getpos()[0]

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self._flush()
            if tag in ("li", "ul", "ol"):
                self._in_li = False

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if not self._buf:
            stripped = data.lstrip()
            if not stripped:
                return
            self._start = self.getpos()[0] + data[: len(data) - len(stripped)].count("\n")
        self._buf.append(data)


def html_lines(html: str) -> list[Line]:
    parser = _Flattener()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.lines
