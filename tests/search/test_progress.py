"""An index build's progress as `pcs index`, /api/health and the search note tell it."""

from __future__ import annotations

import time

from pcs_graph.search.progress import BuildProgress, thousands


def test_progress_counts_whole_actions_and_texts_per_second() -> None:
    progress = BuildProgress()
    progress.start("embedding", actions_total=20_000, texts_total=20_150, actions_done=0)
    time.sleep(0.05)
    progress.advance(texts=12_100, actions_done=12_000)

    snap = progress.snapshot()

    assert (snap.phase, snap.actions_done, snap.actions_total, snap.texts_done) == ("embedding", 12_000, 20_000, 12_100)
    assert snap.note == "index sémantique en construction : 12 000 / 20 000 actions"
    assert snap.texts_per_s is not None and snap.texts_per_s > 0


def test_a_finished_build_keeps_its_figures_and_counts_every_action() -> None:
    progress = BuildProgress()
    progress.start("embedding", actions_total=55, texts_total=59)
    progress.advance(texts=59, actions_done=50)
    progress.phase("saving")
    progress.phase("done")
    time.sleep(0.02)

    snap = progress.snapshot()

    assert snap.phase == "done" and snap.actions_done == 55 and snap.texts_done == 59
    assert snap.embedding_s == progress.snapshot().embedding_s  # the clock stopped with the embedding


def test_thousands_are_written_the_french_way() -> None:
    assert thousands(20000) == "20 000" and thousands(999) == "999" and thousands(1234567) == "1 234 567"
