"""Documents the tests write in the forms communes really use: PDF (fpdf2), Word (python-docx), ODF (odfdo).

    write_pdf(tmp_path / "plan.pdf", [["page 1, line 1", "line 2"], ["page 2"]])
    write_docx(tmp_path / "plan.docx", ["Titre", "01 1.1.06 …"], bullets=["Gym douce"])
    write_odt(tmp_path / "plan.odt", ["Titre", "01 1.1.06 …"])
"""

from __future__ import annotations

from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A real PDF of text pages (fpdf2): DejaVu when Debian has it, else a core font in latin-1."""
    from fpdf import FPDF

    pdf = FPDF()
    if DEJAVU.exists():
        pdf.add_font("DejaVu", fname=str(DEJAVU))
        pdf.set_font("DejaVu", size=10)
    else:
        pdf.set_font("Helvetica", size=10)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line if DEJAVU.exists() else line.replace("’", "'"), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_docx(path: Path, paragraphs: list[str], bullets: list[str] = (), table: list[list[str]] | None = None) -> Path:
    """A Word document: a heading, paragraphs, a bulleted list and, optionally, a table."""
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0] if paragraphs else "Plan", level=1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    for text in bullets:
        document.add_paragraph(text, style="List Bullet")
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, value in enumerate(row):
                grid.cell(i, j).text = value
    document.save(str(path))
    return path


def write_odt(path: Path, paragraphs: list[str], bullets: list[str] = (), table: list[list[str]] | None = None) -> Path:
    """An OpenDocument text: a heading, paragraphs, a list and, optionally, a table."""
    from odfdo import Document, Header, List, Paragraph, Table

    document = Document("text")
    body = document.body
    body.clear()
    body.append(Header(1, paragraphs[0] if paragraphs else "Plan"))
    for text in paragraphs[1:]:
        body.append(Paragraph(text))
    if bullets:
        body.append(List(list(bullets)))
    if table:
        grid = Table("Actions", width=len(table[0]), height=len(table))
        for i, row in enumerate(table):
            for j, value in enumerate(row):
                grid.set_value((j, i), value)
        body.append(grid)
    document.save(str(path))
    return path
