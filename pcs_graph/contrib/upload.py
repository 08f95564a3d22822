"""An uploaded plan document, from its bytes to a PlanDocument: checked, then parsed in a limited process.

    limits = UploadLimits.from_env()                      # PCS_MAX_UPLOAD_BYTES, PCS_PARSE_CPU_SECONDS, ...
    checked, doc = read_upload(data, "plan.docx", limits, commune="52025", programme="2020-2025")
    checked.form, checked.display_name, len(doc.actions)  # ('docx', 'plan.docx', 6)

The checks (size, type read from the bytes, zip bombs) are `pcs_graph.ingest.safety`'s, the sandboxed
parse `pcs_graph.ingest.sandbox`'s: the write path of the exchange reaches the parsers through here.
A refusal is an UploadRefused (with its HTTP status) or an InputError naming the file as given.
"""

from __future__ import annotations

from ..graph.records import PlanDocument, Publication
from ..ingest.safety import CheckedUpload, UploadLimits, UploadRefused, check_upload, too_large
from ..ingest.sandbox import parse_upload

__all__ = ["CheckedUpload", "UploadLimits", "UploadRefused", "read_upload", "too_large"]


def read_upload(data: bytes, given_name: str | None, limits: UploadLimits, commune: str | None = None,
                programme: str | None = None, publication: Publication | None = None) -> tuple[CheckedUpload, PlanDocument]:
    """Check the bytes (UploadRefused) and parse them in the sandbox (InputError, UploadRefused)."""
    checked = check_upload(data, given_name, limits)
    return checked, parse_upload(data, checked, limits, commune, programme, publication)
