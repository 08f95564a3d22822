"""Which hits really answer a query, and why: evidence read only from what a person sees of an action.

    evidence = Evidence.build(actions, analyzer)              # once per index: each action's visible words
    concepts = evidence.concepts(query, expander)              # the query's needs, each with its synonyms
    coverage = evidence.coverage(concepts)                     # share of the needs an action's text meets
    model.probability(cosine, coverage, best)                  # P(relevant), fitted on judged queries
    evidence.explain(i, concepts, action)                      # words found, synonyms, "via le type d'action"

A need is a word of the query (or a phrase that triggers a group of synonyms), weighted by how
informative it is (its IDF over the actions' visible words); it is met in full when the word, or one of
its synonyms, is in the action's label or description, and in part by a word of close meaning
(`closewords.py`: "médicale" by "santé", credit growing with their cosine above CLOSE_FLOOR). Words met
only in the action type's, theme's or axis's label are told as such, never as "mots trouvés".
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .actions import ActionInfo
from .closewords import CloseWords
from .glosses import Gloss, lent_credits
from .groups import Groups
from .lexical import FrenchAnalyzer, SynonymExpander

MODEL_FILE = Path(__file__).with_name("data") / "relevance.json"
_RAW_WORD = re.compile(r"\w+", re.UNICODE)
GLOSSARY = "le glossaire"  # « via le glossaire « épicerie sociale » »: a need met in a named term's definition
CLOSE_FLOOR = 0.5  # a word of close meaning meets a need for (cosine - floor) / (1 - floor) of its weight


@dataclass(frozen=True)
class Concept:
    """One need of the query: its words as typed, and the stem sets that meet it (itself, its synonyms)."""

    text: str
    weight: float
    alternatives: tuple[tuple[str, frozenset[str]], ...]  # (phrase, its stems); the first is the query's own
    close: tuple[tuple[str, float], ...] = ()  # stems of close meaning and the share of the need each meets


@dataclass(frozen=True)
class Why:
    """What really matched in one action, in words a person can check."""

    words: tuple[str, ...]  # query words as written in the action's label or description
    synonyms: tuple[str, ...]  # "aînés → personnes âgées": a synonym found in the label or description
    via: tuple[str, ...]  # "via le type d'action « … »": a query word met only in a nomenclature label
    close: tuple[str, ...] = ()  # "médicale → santé": a word of close meaning in the label or description


class Evidence:
    """Per action, the stems of its visible text (label, description), as an inverted index."""

    DESCRIPTION_CREDIT = 0.5  # a need met only in a (long) description counts for this share (tuning halves)
    GLOSS_CREDIT = 0.25  # a need met only in the glossary's definition of a term the label names, at least
                         # (glosses.py; tuning halves: 0, 0.25, 0.5 tried)

    def __init__(self, postings: dict[str, np.ndarray], size: int, analyzer: FrenchAnalyzer,
                 in_labels: dict[str, np.ndarray] | None = None, glossed: dict[str, np.ndarray] | None = None,
                 glosses: tuple[Gloss, ...] = ()) -> None:
        self.postings = postings  # stem -> rows whose label or description holds it
        self.in_labels = postings if in_labels is None else in_labels  # stem -> rows whose label holds it
        self.glossed = glossed or {}  # stem -> rows whose label names a glossary term whose definition holds it
        self.glosses = glosses
        self.size = size
        self.analyzer = analyzer
        self._readings: dict[str, Reading] = {}  # action URI -> its reading (see reading())

    @classmethod
    def build(cls, actions: list[ActionInfo], analyzer: FrenchAnalyzer, glosses: tuple[Gloss, ...] = ()) -> "Evidence":
        rows: dict[str, list[int]] = {}
        labels: dict[str, list[int]] = {}
        for i, a in enumerate(actions):
            own = set(analyzer.terms(a.label))
            for stem in own | set(analyzer.terms(a.description or "")):
                rows.setdefault(stem, []).append(i)
            for stem in own:
                labels.setdefault(stem, []).append(i)
        as_arrays = lambda d: {s: np.asarray(r, dtype=np.int32) for s, r in d.items()}  # noqa: E731
        evidence = cls(as_arrays(rows), len(actions), analyzer, as_arrays(labels), None, glosses)
        glossed: dict[str, list[np.ndarray]] = {}
        for gloss in glosses:  # the rows whose label holds every word of one of the term's labels
            named = [evidence._rows_with_all(stems, evidence.in_labels) for stems in gloss.labels if stems]
            naming = np.unique(np.concatenate(named)) if named else np.zeros(0, dtype=np.int32)
            for stem in gloss.stems if len(naming) else ():
                glossed.setdefault(stem, []).append(naming)
        evidence.glossed = {s: np.unique(np.concatenate(r)).astype(np.int32) for s, r in glossed.items()}
        return evidence

    IDF_POWER = 1.0  # a need's weight: IDF ** IDF_POWER (above 1: the most informative need counts more)

    def idf(self, stem: str) -> float:
        df = len(self.postings.get(stem, ()))
        return math.log((self.size + 1) / (df + 0.5)) ** self.IDF_POWER

    CLOSE_FLOOR = CLOSE_FLOOR
    CLOSE_POWER = 0.5  # a close word meets ((cosine - floor) / (1 - floor)) ** this of a need (tuning: 1, 0.5, 0.25, 0)
    RARITY_POWER = 2.0  # a need's weight: IDF x (how rare the word is in French) ** this (tuning halves: 0.5-3 tried)

    def concepts(self, query: str, expander: SynonymExpander | None, close: CloseWords | None = None) -> list[Concept]:
        expansion = expander.expand(query) if expander else None
        concepts: list[Concept] = []
        covered: set[str] = set()
        # the longest phrase first: "jeunes et personnes âgées" is one need, not "personnes âgées" and "jeunes"
        triggers = sorted(expansion.triggers if expansion else (), key=lambda t: -len(self.analyzer.terms(t)))
        for trigger in triggers:
            stems = frozenset(self.analyzer.terms(trigger))
            if not stems or stems & covered:
                continue
            covered |= stems
            others = [(phrase, frozenset(self.analyzer.terms(phrase))) for t, phrase in expansion.pairs if t == trigger]
            words = [w for w in self.analyzer.words(query) if self.analyzer.stem(w) in stems]
            rarity = min(1.0, sum(close.rarity(s) for s in stems)) if close else 1.0  # a phrase: rarer than its words
            concepts.append(Concept(" ".join(words) or trigger, max(self.idf(s) for s in stems) * rarity ** self.RARITY_POWER,
                                    ((trigger, stems), *((p, s) for p, s in others if s))))
        for word in self.analyzer.words(query):
            stem = self.analyzer.stem(word)
            if stem in covered:
                continue
            covered.add(stem)
            floor = self.CLOSE_FLOOR
            near = tuple((s, ((c - floor) / (1 - floor)) ** self.CLOSE_POWER) for s, c in (close.of(stem) if close else ())
                         if c > floor)
            weight = self.idf(stem) * (close.rarity(stem) if close else 1.0) ** self.RARITY_POWER  # rare in the sector AND in French
            concepts.append(Concept(word, weight, ((word, frozenset({stem})),), near))
        return concepts

    def _rows_with_all(self, stems: frozenset[str], postings: dict[str, np.ndarray] | None = None) -> np.ndarray:
        lists = [(self.postings if postings is None else postings).get(stem) for stem in stems]
        if not lists or any(rows is None for rows in lists):
            return np.zeros(0, dtype=np.int32)
        lists.sort(key=len)  # the rarest stem first: the rows kept only shrink
        rows = lists[0]
        for other in lists[1:]:  # a gather through a mask: no sort of the (long) posting lists
            inside = np.zeros(self.size, dtype=bool)
            inside[other] = True
            rows = rows[inside[rows]]
        return rows

    def main_need(self, concepts: list[Concept]) -> np.ndarray:
        """Per action, how far it meets the query's most informative need (1: in its own words or a
        synonym; in part: a word of close meaning; 0: not at all)."""
        return self.needs_met(concepts)[1]

    def coverage(self, concepts: list[Concept]) -> np.ndarray:
        """Per action, the weighted share of the query's needs its label or description meets (0..1)."""
        return self.needs_met(concepts)[0]

    def needs_met(self, concepts: list[Concept]) -> tuple[np.ndarray, np.ndarray]:
        """coverage(concepts) and main_need(concepts), each need's rows looked up once. A need met only in
        the glossary's definition of a term the label names gets what `glosses.lent_credits` lends it."""
        met, main = np.zeros(self.size, dtype=np.float32), np.zeros(self.size, dtype=np.float32)
        total = sum(c.weight for c in concepts)
        if not total:
            return met, main
        credits = [self._credit(c) for c in concepts]
        lent = lent_credits([(c.weight / total, glossed) for c, (_, glossed) in zip(concepts, credits)],
                            self.GLOSS_CREDIT)
        first = max(concepts, key=lambda c: c.weight)
        for c, (credit, _), extra in zip(concepts, credits, lent):
            if extra is not None:
                np.maximum(credit, extra, out=credit)
            met += c.weight * credit
            if c is first:
                main = credit
        return met / total, main

    def _credit(self, c: Concept) -> tuple[np.ndarray, np.ndarray | None]:
        """Per action, how far its own text meets one need (1 in its label, DESCRIPTION_CREDIT in its
        description only, a share of those for a word of close meaning), and how far the glossary's
        definitions of the terms its label names meet it (1, or a close word's share; None: in no
        definition). Posting lists hold each row once: plain fancy indexing."""
        partial = np.float32(self.DESCRIPTION_CREDIT)
        credit = np.zeros(self.size, dtype=np.float32)
        glossed: np.ndarray | None = None
        for _, stems in c.alternatives:
            rows = self._rows_with_all(stems, self.glossed) if self.glossed else ()
            if len(rows):
                glossed = np.zeros(self.size, dtype=np.float32) if glossed is None else glossed
                glossed[rows] = 1.0
            rows = self._rows_with_all(stems)
            if len(rows):
                credit[rows] = np.maximum(credit[rows], partial)
                credit[self._rows_with_all(stems, self.in_labels)] = 1.0
        for stem, share in c.close:  # a word of close meaning: in part
            for postings, factor in ((self.postings, partial), (self.in_labels, np.float32(1.0))):
                rows = postings.get(stem)
                if rows is not None:
                    credit[rows] = np.maximum(credit[rows], np.float32(share) * factor)
            rows = self.glossed.get(stem)
            if rows is not None:
                glossed = np.zeros(self.size, dtype=np.float32) if glossed is None else glossed
                glossed[rows] = np.maximum(glossed[rows], np.float32(share))
        return credit, glossed

    READINGS = 4096  # actions whose reading is kept (the hits shown lately): bounded, rebuilt past it

    def reading(self, action: ActionInfo) -> "Reading":
        """The action's visible text read once: its words with their places and stems (kept per action)."""
        found = self._readings.get(action.uri)
        if found is None:
            if len(self._readings) >= self.READINGS:
                self._readings.clear()
            found = self._readings[action.uri] = Reading.of(action, self.analyzer, self.glosses)
        return found

    def explain(self, action: ActionInfo, concepts: list[Concept]) -> Why:
        r = self.reading(action)
        text, visible = r.text, r.visible

        def as_written(stems: frozenset[str]) -> list[str]:
            return [word for stem, word in visible.items() if stem in stems]

        def span(stems: frozenset[str]) -> str:
            """The stretch of the action's text a phrase matched, as written ("Abri de nuit")."""
            places = [(start, end) for start, end, own in r.tokens if own & stems]
            start, end = min(p[0] for p in places), max(p[1] for p in places)
            if len(text[start:end].split()) <= 2 * len(stems) + 2:
                return text[start:end]
            return as_written(stems)[0]  # words far apart in a long description: the first, as written

        words, synonyms, via, close = [], [], [], []
        for c in concepts:
            own_phrase, own = c.alternatives[0]
            if own <= visible.keys():
                words.extend(as_written(own))
                continue
            found = next((s for _, s in c.alternatives[1:] if s <= visible.keys()), None)
            if found is not None:  # the synonym as the action's text writes it
                synonyms.append(f"{own_phrase} → {span(found)}")
                continue
            near = [w for w in as_written(frozenset(s for s, _ in c.close))]
            if near:
                close.append(f"{own_phrase} → {near[0]}")
                continue
            for kind, label, stems in r.hidden:
                if own <= stems or any(s <= stems for _, s in c.alternatives[1:]) or (
                        kind == GLOSSARY and any(s in stems for s, _ in c.close)):  # close words count there only
                    via.append(f"via {kind} « {label} »")
                    break
        return Why(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(synonyms)), tuple(dict.fromkeys(via)),
                   tuple(dict.fromkeys(close)))


@dataclass(frozen=True)
class Reading:
    """One action's visible text as search reads it: each word's place and stems, stem -> word as written
    (in the text's order), and the nomenclature labels it is filed under with their stems."""

    text: str
    tokens: tuple[tuple[int, int, frozenset[str]], ...]  # (start, end, stems of the word)
    visible: dict[str, str]
    hidden: tuple[tuple[str, str, frozenset[str]], ...]  # (what it is, its label, its stems)

    @classmethod
    def of(cls, action: ActionInfo, analyzer: FrenchAnalyzer, glosses: tuple["Gloss", ...] = ()) -> "Reading":
        text = visible_text(action)
        tokens, visible = [], {}
        for m in _RAW_WORD.finditer(text):
            stems = [analyzer.stem(folded) for folded in analyzer.words(m.group())]
            tokens.append((m.start(), m.end(), frozenset(stems)))
            for stem in stems:
                visible.setdefault(stem, m.group())
        hidden = tuple((kind, label, frozenset(analyzer.terms(label))) for kind, label in _hidden_labels(action))
        own = frozenset(analyzer.terms(action.label))
        defined = tuple((GLOSSARY, g.term, g.stems) for g in glosses if g.names(own))
        return cls(text, tuple(tokens), visible, hidden + defined)


def visible_text(action: ActionInfo) -> str:
    """What a person sees of an action in a list: its label and description (not its type's label)."""
    return " ".join(t for t in (action.label, action.description or "") if t)


def _hidden_labels(action: ActionInfo) -> list[tuple[str, str]]:
    out = []
    if action.action_type_label and action.action_type_label != action.label:
        out.append(("le type d'action", action.action_type_label))
    if action.theme_label:
        out.append(("le thème", action.theme_label))
    if action.axis_label:
        out.append(("l'axe", action.axis_label))
    return out


@dataclass(frozen=True)
class RelevanceModel:
    """P(relevant) = logistic(w · features(...)), fitted on judged queries; relevant when P >= threshold
    (the threshold that balances precision and recall best on the tuning half, recorded with the weights).

    `model` names the embedder it was fitted for: cosines of another model mean something else, and
    then the fallback rule applies (a need met in the text, or a cosine near the best one)."""

    model: str
    weights: tuple[float, ...]
    fitted_on: str
    threshold: float = 0.5

    @classmethod
    def load(cls, embedder_name: str, path: Path = MODEL_FILE) -> "RelevanceModel | None":
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("model") != embedder_name or tuple(data.get("features", ())) != FEATURES:
            return None  # fitted for another model, or on other inputs: not this engine's probability
        return cls(data["model"], tuple(data["weights"]), data.get("fitted_on", ""), data.get("threshold", 0.5))

    def probability(self, inputs: "RelevanceInputs") -> np.ndarray:
        """P(relevant) of every action: the weights applied column by column (no feature matrix built)."""
        w = self.weights
        top = float(inputs.lexical.max()) if len(inputs.lexical) else 0.0
        z = (w[1] + w[3]) * inputs.cosine.astype(np.float32)
        z += np.float32(w[0] - w[3] * inputs.best - w[5] * inputs.best)
        z += np.float32(w[2]) * inputs.coverage
        if top > 0:
            z += np.float32(w[4] / top) * inputs.lexical
        z += np.float32(w[5]) * inputs.theme_best.astype(np.float32)
        z += np.float32(w[6]) * inputs.fused.astype(np.float32)
        z += np.float32(w[7]) * inputs.main_need
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class RelevanceInputs:
    """What relevance is decided from, for every action, none of it depending on the filters."""

    cosine: np.ndarray  # the query's cosine with each action's vector
    coverage: np.ndarray  # the share of the query's needs its label or description meets
    lexical: np.ndarray  # BM25 with the sector's synonyms
    best: float  # the query's best cosine over all actions
    theme_best: np.ndarray  # the best cosine among the actions of the same theme (its own, for an uncoded one)
    fused: np.ndarray  # the shipped ranking's score over all actions (no filter), divided by its best
    main_need: np.ndarray  # how far each action meets the query's most informative need (0..1)


FEATURES = ("bias", "cosine", "coverage", "cosine - best cosine", "BM25 / best BM25", "theme's best cosine - best",
            "ranking score / best", "main need met")


def theme_best(cosine: np.ndarray, themes: Groups, no_theme: int) -> np.ndarray:
    """Per action, the best cosine of its theme's actions: the nomenclature groups what answers one need."""
    best = themes.best(cosine)
    return np.where(themes.ids == no_theme, cosine, best[themes.ids])


def features(inputs: RelevanceInputs) -> np.ndarray:
    """The model's inputs, one row per action (what bench/fit_relevance.py fits on)."""
    top = float(inputs.lexical.max()) if len(inputs.lexical) else 0.0
    lexical = inputs.lexical / top if top > 0 else np.zeros_like(inputs.lexical)
    c = inputs.cosine.astype(np.float64)
    return np.stack([np.ones_like(c), c, inputs.coverage, c - inputs.best, lexical, inputs.theme_best - inputs.best,
                     inputs.fused, inputs.main_need], axis=1).astype(np.float64)
