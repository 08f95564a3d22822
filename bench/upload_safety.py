"""What an upload costs before it becomes a draft: the hostile files' refusals and the sandbox's overhead.

    python bench/upload_safety.py              # median of 3 runs each
    python bench/upload_safety.py --repeat 5

Times, on this machine (wall clock, seconds), each case as the server runs it (`pcs_graph.contrib.upload`):
1. a zip bomb `.docx` (1.1 Go of zeros in ~5 Mo) refused from its central directory;
2. a 25 Mo file refused for its size (the API refuses it earlier, from Content-Length);
3. a `.pdf` that is an HTML page refused from its bytes;
4. a PDF of 10,000 empty pages refused from its page count, in the sandboxed child;
5. a Word table of 6 actions parsed in the sandboxed child, against `parse_document` in this process
   (the difference is the child's start and imports).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pcs_graph.contrib.upload import UploadLimits, UploadRefused, read_upload  # noqa: E402
from pcs_graph.errors import InputError  # noqa: E402
from pcs_graph.graph.reference import CommuneDirectory  # noqa: E402
from pcs_graph.ingest.parse import parse_document  # noqa: E402
from tests.contrib.plan_documents import gerpinnes_docx  # noqa: E402
from tests.ingest.hostile import empty_pages_pdf, zip_bomb_docx  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, str]:
    """Median wall time of `fn()` and what it answered (the refusal's message, or a summary)."""
    times, answer = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            answer = fn()
        except (UploadRefused, InputError) as e:
            answer = str(e)
        times.append(time.perf_counter() - start)
    return statistics.median(times), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    limits = UploadLimits.from_env()
    with tempfile.TemporaryDirectory() as folder:
        docx = gerpinnes_docx(Path(folder))
        path = Path(folder) / "plan.docx"
        path.write_bytes(docx)
        communes = CommuneDirectory.load()
        bomb, big, pages = zip_bomb_docx(1100), b"- action\n" * (25 * 1024 * 1024 // 9), empty_pages_pdf(10_000)
        cases = [  # the files are made before the clock starts
            ("zip bomb .docx (1.1 Go)", lambda: read_upload(bomb, "bombe.docx", limits)),
            ("25 Mo file", lambda: read_upload(big, "gros.txt", limits)),
            (".pdf that is HTML", lambda: read_upload(b"<!DOCTYPE html><html><body><p>x</p></body></html>",
                                                      "plan.pdf", limits)),
            ("PDF of 10,000 empty pages", lambda: read_upload(pages, "vide.pdf", limits)),
            ("6-action .docx, sandboxed", lambda: f"{len(read_upload(docx, 'plan.docx', limits, '52025')[1].actions)} actions"),
            ("6-action .docx, in process", lambda: f"{len(parse_document(path, communes, '52025').actions)} actions"),
        ]
        print(f"| case | median s ({args.repeat} runs) | answer |")
        print("| --- | --- | --- |")
        for name, fn in cases:
            seconds, answer = timed(fn, args.repeat)
            print(f"| {name} | {seconds:.2f} | {answer[:110]} |")


if __name__ == "__main__":
    main()
