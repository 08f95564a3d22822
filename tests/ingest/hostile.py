"""Hostile files the upload tests send: a zip bomb dressed as a Word document, a PDF of 10,000 empty pages.

    zip_bomb_docx(1536)          # bytes: a .docx whose document.xml expands to 1.5 Go of zeros
    empty_pages_pdf(10_000)      # bytes: a valid PDF of 10,000 blank pages (~0.6 Mo)
"""

from __future__ import annotations

import io
import zipfile

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                 b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')


def zip_bomb_docx(megabytes: int) -> bytes:
    """A real deflated ZIP whose word/document.xml decompresses to `megabytes` Mo of zeros (written
    chunk by chunk: the test never holds the expanded content)."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(chunk)
    return buffer.getvalue()


def empty_pages_pdf(pages: int) -> bytes:
    """A minimal, valid PDF (catalog, page tree, `pages` empty pages, cross-reference table)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
               + b"] /Count %d >>" % pages]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
