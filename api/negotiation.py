"""HTTP content negotiation: pick the media type a client prefers among those a route can produce.

    best_media_type("text/turtle;q=0.9, application/ld+json", ["text/turtle", "application/ld+json"])
    -> "application/ld+json"
    best_media_type("application/sparql-results+xml,*/*", ["application/sparql-results+json",
                    "application/sparql-results+xml"]) -> "application/sparql-results+xml"

Follows RFC 9110 (12.5.1): each offered type gets the q-value of the most specific range that
matches it (`type/subtype` over `type/*` over `*/*`); the highest q wins; among equal q-values a
type the client named explicitly beats one it accepts only through `type/*`, which beats one it
accepts only through `*/*` (so `application/sparql-results+xml,application/rdf+xml,*/*` gets XML
results, not the server's first choice); remaining ties go to the server's order. q=0 means "not
acceptable". A missing or empty Accept header accepts anything (the first offer).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """-1 if this range does not match `media_type`, else 0 (*/*), 1 (type/*) or 2 (exact)."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    ranges: list[MediaRange] = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            if media == "*":
                media = "*/*"
            else:
                continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        main, _, sub = media.partition("/")
        ranges.append(MediaRange(main, sub or "*", q))
    return ranges


def match(ranges: list[MediaRange], media_type: str) -> tuple[float, int]:
    """(q-value, specificity) of the most specific range matching `media_type`; (0.0, -1) if none does."""
    best_specificity, q = -1, 0.0
    for r in ranges:
        s = r.specificity(media_type)
        if s > best_specificity:
            best_specificity, q = s, r.q
    return q, best_specificity


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The q-value the client gives `media_type` (0.0 when it does not accept it)."""
    return match(ranges, media_type)[0]


def best_media_type(header: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them."""
    ranges = parse_accept(header)
    if not ranges:
        return offered[0] if offered else None
    scored = [(*match(ranges, m), -i, m) for i, m in enumerate(offered)]
    q, _, _, media = max(scored)
    return media if q > 0 else None


def prefers_html(header: str | None) -> bool:
    """True when the client names text/html and ranks it at least as high as any other exact type
    (browsers: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")."""
    ranges = parse_accept(header)
    html = [r.q for r in ranges if (r.type, r.subtype) in (("text", "html"), ("application", "xhtml+xml"))]
    if not html or max(html) == 0:
        return False
    others = [r.q for r in ranges if r.subtype != "*" and (r.type, r.subtype) not in
              (("text", "html"), ("application", "xhtml+xml"))]
    return all(q <= max(html) for q in others)
