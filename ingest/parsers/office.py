"""Word (.docx) and OpenDocument (.odt) plan documents as numbered lines, and their tables as rows.

    content = office_content(Path("plan.docx"))
    content.lines[0].text, content.tables[0][0]     # 'Plan de cohésion sociale …', ['code', 'libellé', …]

Paragraphs and headings become lines, list items bullet lines, table rows lines of their cells
joined by " | " (so the text forms read them) and also rows (so the table form can). A line's number
is the paragraph's rank in the document. A broken or truncated file is an InputError naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zipfile import BadZipFile

from pcs_graph.errors import InputError
from pcs_graph.text import normalize_space

from ..lines import Line

MAX_PARAGRAPHS = 50_000


@dataclass
class OfficeContent:
    lines: list[Line] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)

    def add(self, text: str, bullet: bool = False) -> None:
        text = normalize_space(text)
        if len(self.lines) >= MAX_PARAGRAPHS:
            raise OverflowError
        self.lines.append(Line(len(self.lines) + 1, text, bullet=bullet and bool(text)))

    def add_table(self, rows: list[list[str]]) -> None:
        rows = [[normalize_space(c) for c in row] for row in rows if any(c.strip() for c in row)]
        if rows:
            self.tables.append(rows)
            for row in rows:
                self.add(" | ".join(c for c in row if c))


def office_content(path: Path) -> OfficeContent:
    reader = _read_docx if path.suffix.lower() == ".docx" else _read_odt
    try:
        content = reader(path)
    except (InputError, MemoryError):
        raise
    except OverflowError:
        raise InputError(str(path), f"plus de {MAX_PARAGRAPHS} paragraphes : ce n'est pas un document de plan",
                         expected=f"au plus {MAX_PARAGRAPHS} paragraphes") from None
    except (BadZipFile, KeyError, ValueError, OSError, AttributeError, TypeError) as e:
        kind = "Word (.docx)" if path.suffix.lower() == ".docx" else "OpenDocument (.odt)"
        raise InputError(str(path), f"document {kind} illisible ou tronqué ({type(e).__name__}: {e})",
                         expected=f"un fichier {kind} complet") from None
    except Exception as e:  # lxml and odfdo raise their own types on broken XML
        raise InputError(str(path), f"document illisible ou tronqué ({type(e).__name__}: {e})",
                         expected="un fichier .docx ou .odt complet") from None
    if not any(line.text for line in content.lines):
        raise InputError(str(path), "le document ne contient aucun texte", expected="un document de plan avec des actions")
    return content


def _read_docx(path: Path) -> OfficeContent:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    content = OfficeContent()
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, document)
            ppr = element.pPr
            numbered = ppr is not None and ppr.numPr is not None
            style = (paragraph.style.name or "") if paragraph.style is not None else ""
            content.add(paragraph.text, bullet=numbered or style.lower().startswith(("list", "liste")))
        elif tag == "tbl":
            table = Table(element, document)
            content.add_table([[cell.text for cell in row.cells] for row in table.rows])
    return content


def _read_odt(path: Path) -> OfficeContent:
    from odfdo import Document

    document = Document(str(path))
    if document.get_type() not in ("text", "text-template"):
        raise InputError(str(path), f"document OpenDocument de type {document.get_type()!r}",
                         expected="un texte OpenDocument (.odt)")
    content = OfficeContent()
    _walk_odt(document.body, content, in_list=False)
    return content


def _walk_odt(element: object, content: OfficeContent, in_list: bool) -> None:
    for child in element.children:  # type: ignore[attr-defined]
        tag = child.tag
        if tag in ("text:p", "text:h"):
            content.add(child.text_recursive or "", bullet=in_list)
        elif tag in ("text:list", "text:list-item", "text:section"):
            _walk_odt(child, content, in_list=in_list or tag != "text:section")
        elif tag == "table:table":
            content.add_table([[str(v) if v is not None else "" for v in row] for row in child.get_values()])
