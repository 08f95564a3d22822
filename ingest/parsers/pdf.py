"""A PDF plan document: its text, page by page (pdfplumber), as numbered lines with their page."""

from __future__ import annotations

from pathlib import Path

from pcs_graph.errors import InputError

from ..lines import Line

MAX_PAGES = 500


def out_of_memory(e: BaseException) -> None:
    """Re-raise as MemoryError a failure caused by one (pdfminer wraps it): running out of memory is
    not a broken file, and the upload sandbox reports it as such."""
    seen: BaseException | None = e
    while seen is not None:
        if isinstance(seen, MemoryError):
            raise MemoryError from e
        seen = seen.__cause__ or seen.__context__


def check_page_count(path: Path, max_pages: int = MAX_PAGES) -> None:
    """Refuse a PDF of more than `max_pages` pages from the count its page tree declares, before
    pdfplumber builds a page object for each (10,000 empty pages would take a long while)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        with path.open("rb") as f:
            pages = resolve1(PDFDocument(PDFParser(f)).catalog.get("Pages"))
            count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    except Exception as e:  # noqa: BLE001 - pdfminer raises many types on broken files
        out_of_memory(e)
        raise InputError(str(path), f"PDF illisible ou tronqué ({type(e).__name__}: {e})",
                         expected="un PDF complet contenant du texte") from None
    if isinstance(count, int) and count > max_pages:
        raise InputError(str(path), f"{count} pages : trop pour un document de plan",
                         expected=f"au plus {max_pages} pages")


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
        out_of_memory(e)
        raise InputError(str(path), f"PDF illisible ou tronqué ({type(e).__name__}: {e})",
                         expected="un PDF complet contenant du texte") from None
    if not any(line.text.strip() for line in lines):
        raise InputError(str(path), "le PDF ne contient aucun texte (document scanné ?)",
                         expected="un PDF avec une couche texte")
    return lines
