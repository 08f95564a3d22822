"""A PDF plan document: its text, page by page (pdfplumber), as numbered lines with their page."""

from __future__ import annotations

from pathlib import Path

from pcs_graph.errors import InputError

from ..lines import Line

MAX_PAGES = 500


def pdf_lines(path: Path) -> list[Line]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    lines: list[Line] = []
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(str(path), f"{len(pdf.pages)} pages : trop pour un document de plan",
                                 expected=f"au plus {MAX_PAGES} pages")
            for page_number, page in enumerate(pdf.pages, start=1):
                text = page.extract_text() or ""
                for i, raw in enumerate(text.split("\n"), start=1):
                    lines.append(Line(i, raw.rstrip(), page=page_number))
    except (PDFSyntaxError, Exception) as e:  # pdfminer raises many types on broken files
        if isinstance(e, InputError):
            raise
        raise InputError(str(path), f"PDF illisible ou tronqué ({type(e).__name__}: {e})",
                         expected="un PDF complet contenant du texte") from None
    if not any(line.text.strip() for line in lines):
        raise InputError(str(path), "le PDF ne contient aucun texte (document scanné ?)",
                         expected="un PDF avec une couche texte")
    return lines
