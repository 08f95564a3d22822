"""The lexical side of search: French analysis (accent folding, stop words, Snowball stemming) and BM25.

    analyzer = FrenchAnalyzer()
    analyzer.terms("Activités pour les personnes âgées isolées")   # ['activ', 'person', 'age', 'isol']
    lexical = LexicalIndex.build(["Activités de rencontre pour personnes isolées", ...], analyzer)
    lexical.scores(analyzer.terms("isolement"))                     # one BM25 score per document

Query-side synonyms of the social sector (`expand_synonyms`) let "solitude des aînés" reach
"personnes isolées" and "personnes âgées" without touching what is indexed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..text import fold

_WORD = re.compile(r"[a-z0-9]+")

# Folded French stop words (articles, pronouns, prepositions, auxiliaries) and words every PCS action shares.
STOPWORDS = frozenset("""
a au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me meme
mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
votre vous c d j l m n s t y est sont ete etre avoir ont fait faire comme plus tres sans sous entre vers chez
ceux celle celles dont cela ca quoi quel quelle quels quelles tout tous toute toutes autre autres afin ainsi
aussi bien peu peut veut cherche chercher trouver voudrais voudrait souhaite besoin idee idees exemple exemples
quelque quelques chose choses etc
""".split())


class FrenchAnalyzer:
    """fold accents → lower-case words → drop stop words → French Snowball stems."""

    def __init__(self) -> None:
        import Stemmer

        self._stemmer = Stemmer.Stemmer("french")

    def words(self, text: str) -> list[str]:
        return [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]

    def terms(self, text: str) -> list[str]:
        return self._stemmer.stemWords(self.words(text))

    def stem(self, word: str) -> str:
        return self._stemmer.stemWord(word)


# Groups of interchangeable phrasings of the sector. A query mentioning one member (after analysis) is
# expanded with the others. Written for PCS actions; each group is a concept, not a loose association.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("aînés", "seniors", "personnes âgées", "troisième âge", "vieillesse", "pensionnés"),
    ("isolement", "solitude", "personnes isolées", "isolé", "seul", "lien social", "rencontre", "convivialité"),
    ("emploi", "travail", "chômage", "recherche d'emploi", "demandeurs d'emploi", "insertion professionnelle",
     "CV", "lettre de motivation", "job"),
    ("numérique", "informatique", "fracture numérique", "nouvelles technologies", "ordinateur", "internet",
     "EPN", "digital"),
    ("logement", "habitat", "hébergement", "sans-abri", "sans abri", "abri de nuit", "SDF", "sans domicile"),
    ("alimentation", "colis alimentaire", "épicerie sociale", "aide alimentaire", "nourriture", "repas",
     "manger"),
    ("santé", "prévention santé", "soins", "médical"),
    ("assuétudes", "addiction", "dépendance", "drogue", "alcool", "toxicomanie"),
    ("devoirs", "école de devoirs", "soutien scolaire", "décrochage scolaire", "aide aux devoirs"),
    ("vélo", "mobilité", "déplacement", "transport", "cyclistes", "permis de conduire"),
    ("quartier", "voisinage", "voisins", "comité de quartier", "vivre ensemble"),
    ("interculturel", "diversité", "migrants", "primo-arrivants", "multiculturel", "étrangers", "racisme",
     "discrimination"),
    ("intergénérationnel", "générations", "jeunes et aînés"),
    ("sport", "activité physique", "gym", "gymnastique", "bouger"),
    ("loisirs", "culture", "activités artistiques", "art", "théâtre", "musique"),
    ("citoyenneté", "participation citoyenne", "conseil consultatif", "démocratie", "citoyens"),
    ("psychologique", "santé mentale", "bien-être", "écoute", "soutien psychologique", "confiance en soi"),
    ("canicule", "grand froid", "vague de chaleur", "personnes vulnérables"),
    ("potager", "jardin", "jardin partagé", "jardin collectif", "maraîchage"),
    ("propreté", "déchets", "salubrité", "environnement"),
    ("donnerie", "brocante", "seconde main", "récupération", "gratuiterie"),
    ("énergie", "chauffage", "précarité énergétique", "factures", "économie d'énergie"),
    ("IST", "infections sexuellement transmissibles", "sida", "VIH", "contraception", "vie affective"),
    ("handicap", "personnes handicapées", "PMR", "personnes à mobilité réduite"),
    ("famille", "parentalité", "parents", "familial"),
    ("français", "alphabétisation", "FLE", "langue française", "lecture écriture"),
)


@dataclass(frozen=True)
class Expansion:
    """The extra phrasings added to a query, and the group member that triggered each."""

    phrases: tuple[str, ...]
    triggers: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.phrases)


class SynonymExpander:
    """Expand a query with the other members of every synonym group one of its phrasings belongs to."""

    def __init__(self, analyzer: FrenchAnalyzer, groups: tuple[tuple[str, ...], ...] = SYNONYM_GROUPS) -> None:
        self.analyzer = analyzer
        self._groups = [[(member, tuple(analyzer.terms(member))) for member in group] for group in groups]

    def expand(self, query: str) -> Expansion:
        terms = self.analyzer.terms(query)
        joined = f" {' '.join(terms)} "
        phrases: list[str] = []
        triggers: list[str] = []
        for group in self._groups:
            hit = next((m for m, t in group if t and f" {' '.join(t)} " in joined), None)
            if hit is None:
                continue
            triggers.append(hit)
            phrases.extend(m for m, t in group if m != hit and not set(t) <= set(terms))
        return Expansion(tuple(phrases), tuple(triggers))


class LexicalIndex:
    """bm25s over analysed texts; scores every document at once (so filters apply before top-k)."""

    def __init__(self, retriever: object, size: int) -> None:
        self._retriever = retriever
        self.size = size

    @classmethod
    def build(cls, texts: list[str], analyzer: FrenchAnalyzer) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        corpus = [analyzer.terms(t) or ["_"] for t in texts]
        if corpus:
            retriever.index(corpus, show_progress=False)
        return cls(retriever, len(texts))

    def scores(self, terms: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every document for these query terms (weighted per term when weights are given).

        bm25s keeps each term's precomputed scores as a sparse column (documents, scores): the query's
        columns are gathered and summed in one weighted np.bincount, so the cost grows with the documents
        that hold a query term, not with the size of the corpus times the number of terms."""
        if not self.size or not terms:
            return np.zeros(self.size, dtype=np.float32)
        vocab = getattr(self._retriever, "vocab_dict", {}) or {}
        known = [t for t in dict.fromkeys(terms) if t in vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        matrix = getattr(self._retriever, "scores", None)
        if not isinstance(matrix, dict) or getattr(self._retriever, "nonoccurrence_array", None) is not None:
            return self._scores_term_by_term(known, weights)  # a BM25 variant scoring absent terms too
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        columns = [int(vocab[t]) for t in known]
        docs = np.concatenate([indices[indptr[c]:indptr[c + 1]] for c in columns])
        values = np.concatenate([data[indptr[c]:indptr[c + 1]] * np.float32(1.0 if weights is None else
                                                                            weights.get(t, 1.0))
                                 for t, c in zip(known, columns)])
        return np.bincount(docs, weights=values, minlength=self.size).astype(np.float32)

    def _scores_term_by_term(self, known: list[str], weights: dict[str, float] | None) -> np.ndarray:
        if weights is None:
            return np.asarray(self._retriever.get_scores(known), dtype=np.float32)
        total = np.zeros(self.size, dtype=np.float32)
        for term in known:
            total += weights.get(term, 1.0) * np.asarray(self._retriever.get_scores([term]), dtype=np.float32)
        return total

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self.size:
            self._retriever.save(str(directory), show_progress=False)  # type: ignore[attr-defined]
        (directory / "size.txt").write_text(str(self.size))

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        import bm25s

        size = int((directory / "size.txt").read_text())
        if not size:
            return cls(bm25s.BM25(), 0)
        return cls(bm25s.BM25.load(str(directory), show_progress=False, verbosity=0), size)
