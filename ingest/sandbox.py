"""Parse an uploaded file in a separate process with CPU-time, memory and wall-clock limits.

    limits = UploadLimits.from_env()
    checked = check_upload(data, "plan.docx", limits)           # safety.py: size, real type, zip bombs
    doc = parse_upload(data, checked, limits, commune="52025")  # PlanDocument, or InputError / UploadRefused

The bytes are written to a private temporary folder under a name of our own (`document.docx`: the
name the person gave is shown, never used as a path), and a child Python process
(`python -m pcs_graph.ingest.sandbox`, given only the environment it needs: no database URL) sets
its own limits (`resource.setrlimit`: CPU seconds, address space, no file larger than 1 Mo written,
no core dump) before it imports any parser, parses
with the same `parse_document` as `pcs ingest`, and prints the PlanDocument as JSON. A child that
runs out of CPU time or memory, or past the wall-clock timeout, is stopped and reported in French;
nothing is written anywhere but the temporary folder, which is removed.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pcs_graph.errors import InputError, PcsError
from pcs_graph.graph.records import ActionRecord, PartnerRecord, PlanDocument, Publication, SourceSpan
from pcs_graph.graph.sheet import PracticeSheet

from .safety import MB, CheckedUpload, UploadLimits, UploadRefused

MEMORY_EXIT = 3  # the child's exit status when parsing ran out of memory
PASSED_ON = ("PATH", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "HOME")


def parse_upload(data: bytes, checked: CheckedUpload, limits: UploadLimits, commune: str | None = None,
                 programme: str | None = None, publication: Publication | None = None) -> PlanDocument:
    """Parse checked bytes in a limited child process. Errors name the file as the person named it."""
    name = checked.display_name
    with tempfile.TemporaryDirectory(prefix="pcs-upload-") as folder:
        inner = f"document{checked.suffix}"
        path = Path(folder) / inner
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        request = {"path": inner, "commune": commune, "programme": programme,
                   "publication": asdict(publication) if publication else None,
                   "cpu_seconds": limits.cpu_seconds, "memory_bytes": limits.memory_bytes,
                   "max_pages": limits.max_pages}
        env = {**{k: v for k, v in os.environ.items() if k in PASSED_ON},  # no database URL or other secret
               "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        try:
            done = subprocess.run([sys.executable, "-m", "pcs_graph.ingest.sandbox"], input=json.dumps(request),
                                  capture_output=True, text=True, cwd=folder, env=env, timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            wall = f"{limits.wall_seconds:g}".replace(".", ",")
            raise UploadRefused(f"l'analyse de « {name} » a dépassé {wall} s et a été arrêtée : document trop lourd",
                                expected="un document de plan ordinaire") from None
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise UploadRefused(f"l'analyse de « {name} » a dépassé {limits.cpu_seconds} s de calcul et a été arrêtée : "
                            "document trop lourd", expected="un document de plan ordinaire")
    if done.returncode in (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS):  # a C library's failed allocation
        raise UploadRefused(f"l'analyse de « {name} » s'est arrêtée brutalement (limite de {limits.memory_bytes // MB} Mo "
                            "de mémoire atteinte, ou fichier piégé) : document refusé",
                            expected="un document de plan ordinaire")
    if done.returncode == MEMORY_EXIT:
        raise UploadRefused(f"l'analyse de « {name} » a dépassé {limits.memory_bytes // MB} Mo de mémoire et a été "
                            "arrêtée : document trop lourd", expected="un document de plan ordinaire")
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise UploadRefused(f"l'analyse de « {name} » a échoué (processus terminé avec le code {done.returncode})",
                            expected="un document de plan lisible") from None
    if "error" in answer:
        e = answer["error"]
        raise InputError(name, _renamed(e["message"], inner, name), e.get("line"),
                         _renamed(e["expected"], inner, name) if e.get("expected") else None)
    return _document(answer["document"], inner, name)


def _renamed(text: str, inner: str, name: str) -> str:
    return text.replace(inner, name)


def _document(raw: dict[str, Any], inner: str, name: str) -> PlanDocument:
    """A PlanDocument back from its JSON, with the person's file name in place of ours."""
    def publication(p: dict[str, Any] | None) -> Publication | None:
        return Publication(**p) if p else None

    actions = []
    for a in raw.pop("actions"):
        span = SourceSpan(**{**a.pop("span"), "file": name})
        partners = tuple(PartnerRecord(**p) for p in a.pop("partners"))
        sheet = a.pop("sheet", None)
        if sheet is not None:
            sheet = PracticeSheet(**{k: tuple(v) if isinstance(v, list) else v for k, v in sheet.items()})
        actions.append(ActionRecord(span=span, partners=partners, target_publics=tuple(a.pop("target_publics")),
                                    publication=publication(a.pop("publication")), sheet=sheet, **a))
    warnings = [_renamed(w, inner, name) for w in raw.pop("warnings")]
    return PlanDocument(**{**raw, "file_name": name, "publication": publication(raw.get("publication")),
                           "actions": actions, "warnings": warnings})


# --- the child process -------------------------------------------------------------------------

def _limit(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))  # SIGXCPU, then SIGKILL
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MB, MB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child() -> int:
    request = json.loads(sys.stdin.read())
    _limit(int(request["cpu_seconds"]), int(request["memory_bytes"]))
    try:
        from pcs_graph.graph.reference import CommuneDirectory

        from .parse import parse_document
        from .parsers import pdf

        path = Path(request["path"])
        if path.suffix == ".pdf":
            pdf.check_page_count(path, int(request["max_pages"]))
        given = request.get("publication")
        doc = parse_document(path, CommuneDirectory.load(), commune=request.get("commune"),
                             programme=request.get("programme"), publication=Publication(**given) if given else None)
        answer: dict[str, Any] = {"document": asdict(doc)}
    except MemoryError:
        return MEMORY_EXIT
    except InputError as e:
        answer = {"error": {"message": e.message, "line": e.line, "expected": e.expected}}
    except PcsError as e:
        answer = {"error": {"message": str(e), "line": None, "expected": None}}
    except Exception as e:  # noqa: BLE001 - any other failure of a parser is a refusal of this file
        if isinstance(e.__context__, MemoryError):
            return MEMORY_EXIT
        answer = {"error": {"message": f"document illisible ({type(e).__name__}: {str(e)[:200]})",
                            "line": None, "expected": "un document de plan lisible"}}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(_child())
