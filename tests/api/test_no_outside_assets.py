"""No served page loads anything from another host: the site is crawled from its home page and every
asset an HTML page or a stylesheet references (script, stylesheet, icon, image, frame, font, CSS
url() and @import) must be on the service itself. Links to other sites (<a href>) are allowed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

START = ["/", "/commune/53053", "/action/53053/2020-2025/23", "/action-type/5.5.01", "/docs", "/redoc", "/ontology",
         "/ontology/shapes", "/ontology/source-kinds", "/ontology/glossaire", "/partenaires", "/requetes",
         "/recherche?q=personnes+isol%C3%A9es", "/statistiques", "/connexion"]
NOT_PAGES = ("/export/", "/dump", "/data/", "/sparql", "/static/", "/id/", "/docs/oauth2", "/context.jsonld",
             "/dataset", "/.well-known", "/api/", "/openapi.json")
ASSET_ATTRIBUTES = {"script": ("src",), "link": ("href",), "img": ("src", "srcset"), "iframe": ("src",),
                    "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",), "embed": ("src",),
                    "object": ("data",), "input": ("src",), "image": ("href",), "use": ("href",)}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")
MAX_PAGES = 120


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.links: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        for name in ASSET_ATTRIBUTES.get(tag, ()):
            if a.get(name) and name == "srcset":
                self.assets.extend(u.strip().split(" ")[0] for u in a[name].split(","))
            elif a.get(name):
                self.assets.append(a[name])
        if "style" in a:
            self.assets.extend(css_urls(a["style"]))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False if tag == "style" else self.in_style

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.assets.extend(css_urls(data))


def css_urls(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css)]


def outside(url: str, base: str) -> bool:
    if url.startswith(("data:", "#", "blob:")):
        return False
    return urlsplit(urljoin(base, url)).netloc != urlsplit(base).netloc


def test_no_page_references_an_asset_on_another_host(live_server: str) -> None:
    queue, seen, stylesheets, offending = list(START), set(), set(), []
    with httpx.Client(base_url=live_server, timeout=60) as client:
        while queue and len(seen) < MAX_PAGES:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path, headers={"Accept": "text/html"})
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            page = Page()
            page.feed(response.text)
            offending += [(path, a) for a in page.assets if outside(a, f"{live_server}{path}")]
            stylesheets |= {urljoin(path, a) for a in page.assets if a.split("?")[0].endswith(".css")
                            and not outside(a, f"{live_server}{path}")}
            for link in page.links:
                target = urljoin(path, link)
                if target.startswith("/") and not target.startswith(NOT_PAGES) and "#" not in target:
                    queue.append(target)
        for sheet in stylesheets:
            offending += [(sheet, a) for a in css_urls(client.get(sheet).text) if outside(a, f"{live_server}{sheet}")]
    crawled = {p.split("?")[0].split("/")[1] for p in seen}
    assert {"commune", "action", "action-type", "partner", "ontology", "docs", "redoc"} <= crawled, crawled
    assert len(seen) >= 40 and stylesheets
    assert offending == []
