"""Where a document is published, said beside it: `<file name>.meta.json` (or --source-url/--source-kind).

    corpus/mons_pcs_2020-2025.txt.meta.json:
    {"source_url": "https://www.cpas.mons.be/services/cohesion-sociale", "source_kind": "commune-page",
     "title": "Cohésion sociale", "publisher": "CPAS de Mons"}

    meta = read_metadata(Path("corpus/mons_pcs_2020-2025.txt"))
    meta.publication.url, meta.publications            # the document's own, and those a table's rows cite

A table whose rows carry their own `source_url` may describe those publications under "publications":
{"https://…": {"source_kind": "press", "title": "…", "publisher": "L'Avenir", "date": "2023-03-02"}}.
A malformed file is refused naming it and the key at fault.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from pcs_graph.errors import InputError
from pcs_graph.graph.records import Publication
from pcs_graph.graph.sources import SOURCE_KINDS, is_web_address, publication_date

SUFFIX = ".meta.json"
_KEYS = {"source_url", "source_kind", "title", "publisher", "date", "note", "publications"}
_PUBLICATION_KEYS = {"source_kind", "title", "publisher", "date", "note"}


@dataclass(frozen=True)
class DocumentMetadata:
    publication: Publication | None = None  # the document's own publication
    publications: dict[str, Publication] = field(default_factory=dict)  # described publications, by URL
    raw: bytes = b""  # the file's bytes: part of the document's content hash

    def describe(self, url: str, kind: str | None) -> Publication:
        """A publication a row cites: what this file says about it, the row's own kind first."""
        known = self.publications.get(url)
        if known is None:
            return Publication(url, kind or "")
        return replace(known, kind=kind or known.kind)


def metadata_path(document: Path) -> Path:
    return document.with_name(document.name + SUFFIX)


def read_metadata(document: Path) -> DocumentMetadata:
    """The metadata file beside a document, or empty metadata when there is none."""
    path = metadata_path(document)
    if not path.is_file():
        return DocumentMetadata()
    source = str(path)
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        line = getattr(e, "lineno", None)
        raise InputError(source, f"JSON illisible ({e})", line=line,
                         expected='un objet JSON, par ex. {"source_url": "https://…", "source_kind": "press"}') from None
    if not isinstance(data, dict):
        raise InputError(source, "un objet JSON était attendu", expected='{"source_url": …, "source_kind": …}')
    unknown = set(data) - _KEYS
    if unknown:
        raise InputError(source, f"clé(s) inconnue(s) : {', '.join(sorted(unknown))}",
                         expected=", ".join(sorted(_KEYS)))
    publication = None
    if data.get("source_url"):
        publication = publication_from(source, data["source_url"], data, "source_kind")
    described = data.get("publications") or {}
    if not isinstance(described, dict):
        raise InputError(source, "« publications » doit être un objet {url: {…}}")
    publications = {}
    for url, details in described.items():
        if not isinstance(details, dict) or set(details) - _PUBLICATION_KEYS:
            raise InputError(source, f"publication {url!r} mal décrite", expected=", ".join(sorted(_PUBLICATION_KEYS)))
        publications[url] = publication_from(source, url, details, "source_kind", kind_required=False)
    return DocumentMetadata(publication, publications, raw)


def publication_from(source: str, url: object, data: dict, kind_key: str, kind_required: bool = True) -> Publication:
    """A Publication from given values, each checked: an http(s) address, a known kind (which the rows
    of a table may give instead), an ISO date."""
    if not isinstance(url, str) or not is_web_address(url):
        raise InputError(source, f"adresse de publication invalide : {url!r}", expected="une adresse http(s)://…")
    kind = str(data.get(kind_key) or "").strip().lower()
    if (kind or kind_required) and kind not in SOURCE_KINDS:
        raise InputError(source, f"type de source {'manquant' if not kind else repr(kind)} pour {url}",
                         expected=" ou ".join(SOURCE_KINDS))
    date = data.get("date")
    if date is not None and (not isinstance(date, str) or publication_date(date) is None):
        raise InputError(source, f"date de publication invalide : {date!r}", expected="AAAA-MM-JJ, AAAA-MM ou AAAA")
    text = {k: str(data[k]).strip() for k in ("title", "publisher") if data.get(k)}
    return Publication(url.strip(), kind, text.get("title"), text.get("publisher"), date)
