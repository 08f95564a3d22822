"""French semantic search over the actions: hybrid ranking, facets, similar actions, classification.

    engine = SearchEngine.open(ws)                                   # model, index and metadata, loaded once
    results = engine.search("personnes âgées isolées", SearchFilters(axis=(5,)), k=10)
    results.hits[0].label, results.hits[0].why.matched_terms, results.facets["province"]
    engine.similar("https://w3id.org/pcs/id/action/53053/2020-2025/23", k=5)   # other communes' actions
    engine.classify("Gym douce pour aînés", k=5)                              # candidate action types

Ranking (the shipped one won on bench/judged_queries.json, see bench/search_quality.py): the query is
expanded with synonyms of the social sector on the lexical side, BM25 and the e5 cosine are each
rescaled to 0..1 over the filtered candidates and mixed by score (not by rank); the two best themes
lend part of their best score to their other actions; a further action of the same commune and type
counts for DUPLICATE_DECAY of its score. Filters are applied to every action before the top k is
taken, so a filter never starves the results. `total` and the facets count the actions that answer
the query: a lexical match, or a cosine close to the best one (a margin set per model).

Inputs: an empty query lists the filtered actions (no ranking, with facets) and says so in a note;
a query longer than MAX_QUERY_CHARS is cut there, with a note; an unknown facet value is reported
in a note and matches nothing; k < 1, offset < 0 or an unknown action URI raise SearchInputError.
The engine notices when the store changed under it (new document, new classification) and rebuilds
its index before answering, saying so in the notes.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..errors import PcsError
from ..store.workspace import Workspace
from .actions import ActionInfo, embedded_text, load_actions, store_fingerprint
from .embedders import Embedder, load_embedder
from .facets import FacetColumns
from .filters import FilterResolver
from .index import IndexReport, SearchIndex, build_or_update, check_index
from .lexical import FrenchAnalyzer, SynonymExpander, load_synonym_groups
from .query import QueryNormalizer
from .relevance import Concept, Evidence, RelevanceInputs, RelevanceModel, theme_best
from .ranking import (
    SHIPPED,
    Ranking,
    diversified,
    fuse,
    inner_products,
    theme_feedback,
    top,
)
from .types import Candidate, Explanation, Hit, SearchFilters, SearchResults

if TYPE_CHECKING:
    from .classify import Classifier

MAX_QUERY_CHARS = 500
MAX_K = 1000


class SearchInputError(PcsError):
    """A search request that cannot be answered as given (k out of range, unknown action, empty text)."""


@dataclass
class _State:
    """Everything one version of the store gives search: replaced whole on refresh (thread-safe reads)."""

    fingerprint: str
    index: SearchIndex
    actions: list[ActionInfo]  # in index row order
    columns: FacetColumns
    filters: FilterResolver
    evidence: Evidence  # each action's visible words, for relevance and explanations
    normalizer: QueryNormalizer  # accents and case restored from the corpus's own spellings
    vectors: np.ndarray
    own_vectors: np.ndarray | None
    notes: tuple[str, ...] = ()
    report: IndexReport | None = None
    classifier: "Classifier | None" = None


@dataclass
class _Scores:
    fused: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    matched: np.ndarray  # boolean: the action really answers the query (and passes the filters)
    concepts: list[Concept] = field(default_factory=list)  # the query's needs, for explanations
    inputs: RelevanceInputs | None = None


class SearchEngine:
    FRESHNESS_INTERVAL = 2.0  # seconds between two checks that the store did not change

    def __init__(self, ws: Workspace, embedder: Embedder, ranking: Ranking = SHIPPED) -> None:
        self.ws = ws
        self.embedder = embedder
        self.ranking = ranking
        self.analyzer = FrenchAnalyzer()
        self.expander = SynonymExpander(self.analyzer)
        self._lock = threading.RLock()  # one embedding at a time (the C engine is not re-entrant)
        self._checked_at = 0.0
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.relevance = RelevanceModel.load(embedder.name)
        self._state: _State = self._load()

    @classmethod
    def open(cls, ws: Workspace, embedder: Embedder | None = None, ranking: Ranking = SHIPPED) -> "SearchEngine":
        return cls(ws, embedder or load_embedder(ws.settings.embedder), ranking)

    def with_ranking(self, ranking: Ranking) -> "SearchEngine":
        """The same engine (same model, index and metadata) ranking another way: for benchmarks."""
        clone = object.__new__(SearchEngine)
        clone.__dict__.update(self.__dict__)
        clone.ranking = ranking
        return clone

    # --- loading and freshness ------------------------------------------------------------------

    def _load(self) -> _State:
        store, uris = self.ws.store, self.ws.uris
        directory = self.ws.settings.resolved_index_dir
        fingerprint = store_fingerprint(store, uris)
        actions = load_actions(store, uris)
        check = check_index(directory, self.embedder, fingerprint, actions)
        notes: list[str] = []
        report = None
        if check.fresh and check.index is not None:
            index = check.index
        else:
            index, report = build_or_update(directory, self.embedder, actions, fingerprint, self.analyzer)
            # the reason may name server folders: it stays in the report, not in answers sent to users
            notes.append(f"index de recherche reconstruit ({check.state}) : "
                         f"{report.embedded} actions encodées, {report.reused} réutilisées")
        by_uri = {a.uri: a for a in actions}
        ordered = [by_uri[u] for u in index.manifest.uris]
        self._checked_at = time.monotonic()
        columns = FacetColumns(ordered)
        normalizer = QueryNormalizer.from_texts(
            [embedded_text(a) for a in ordered] + [m for group in load_synonym_groups() for m in group])
        return _State(fingerprint, index, ordered, columns, FilterResolver(columns, self.ws.communes),
                      Evidence.build(ordered, self.analyzer), normalizer, index.vectors, None, tuple(notes), report)

    def refresh(self, force: bool = False) -> bool:
        """Reload when the store changed since the index was loaded. True when it reloaded."""
        with self._lock:
            if not force and time.monotonic() - self._checked_at < self.FRESHNESS_INTERVAL:
                return False
            self._checked_at = time.monotonic()
            if not force and store_fingerprint(self.ws.store, self.ws.uris) == self._state.fingerprint:
                return False
            self._state = self._load()
            return True

    @staticmethod
    def _take_notes(state: _State) -> list[str]:
        """The notes of a reload (index rebuilt...) go with the first answer after it, not with every one."""
        notes, state.notes = list(state.notes), ()
        return notes

    @property
    def index_report(self) -> IndexReport | None:
        """What the engine had to rebuild when it opened or refreshed (None: the saved index was fresh)."""
        return self._state.report

    @property
    def size(self) -> int:
        return len(self._state.actions)

    @property
    def actions(self) -> list[ActionInfo]:
        """The indexed actions, in index row order (what benchmarks judge hits against)."""
        return self._state.actions

    # --- search -------------------------------------------------------------------------------

    def search(self, query: str, filters: SearchFilters = SearchFilters(), k: int = 10, offset: int = 0) -> SearchResults:
        _check_window(k, offset)
        self.refresh()
        state = self._state
        notes = self._take_notes(state)
        query = (query or "").strip()
        if len(query) > MAX_QUERY_CHARS:
            cut = query[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or query[:MAX_QUERY_CHARS]
            notes.append(f"requête tronquée à {len(cut)} caractères ({len(query)} reçus)")
            query = cut
        allowed = state.filters.mask(filters, notes)
        if not query:
            notes.append("requête vide : liste des actions qui passent les filtres, sans classement")
            rows = sorted(np.flatnonzero(allowed), key=lambda i: _listing_key(state.actions[i]))
            hits = tuple(self._hit(state, i, 0.0, Explanation()) for i in rows[offset:offset + k])
            return SearchResults("", hits, int(allowed.sum()), state.columns.counts(allowed), tuple(notes))
        scores = self._score(state, state.normalizer.canonical(query), allowed)
        ranked = [(i, score, True) for i, score in diversified(state.actions, scores.fused, scores.matched, k + offset)[offset:]]
        if offset == 0 and len(ranked) < k:  # the first page is completed with the nearest other actions, said so
            others = diversified(state.actions, scores.fused, allowed & ~scores.matched, k - len(ranked))
            ranked += [(i, score, False) for i, score in others]
        hits = tuple(self._hit(state, i, score, self._explain(state, i, scores), ok) for i, score, ok in ranked)
        added = [p for c in scores.concepts for p, _ in c.alternatives[1:]]
        if added:
            notes.append("synonymes ajoutés à la recherche : " + ", ".join(dict.fromkeys(added[:12])))
        if not scores.matched.any() and allowed.any():
            notes.append(f"Aucune action ne correspond vraiment à « {query} » : voici les plus proches, "
                         "à titre indicatif.")
        return SearchResults(query, hits, int(scores.matched.sum()), state.columns.counts(scores.matched), tuple(notes))

    def _score(self, state: _State, query: str, allowed: np.ndarray) -> _Scores:
        r = self.ranking
        n = len(state.actions)
        terms = self.analyzer.terms(query)
        weights = {t: 1.0 for t in terms}
        dense_text = query
        if r.synonyms:
            expansion = self.expander.expand(query)
            for phrase in expansion.phrases:
                for t in self.analyzer.terms(phrase):
                    weights.setdefault(t, r.synonym_weight)
            if r.dense_synonyms and expansion.phrases:
                dense_text = f"{query} ({', '.join(expansion.phrases)})"
        lexical = state.index.lexical.scores(list(weights), weights) if n else np.zeros(0, dtype=np.float32)
        if r.method == "bm25":
            dense = np.zeros(n, dtype=np.float32)
        else:
            q = self._query_vector(dense_text)
            dense = inner_products(state.vectors, q)
        concepts = state.evidence.concepts(query, self.expander if r.synonyms else None)
        themes = state.columns.ids["theme"]
        no_theme = state.columns.values["theme"].index("") if "" in state.columns.values["theme"] else -1
        everything = np.ones(n, dtype=bool)
        ranking_all = self._ranking_score(state, dense, lexical, everything)  # relevance never depends on filters
        top = float(ranking_all.max()) if n else 0.0
        inputs = RelevanceInputs(dense, state.evidence.coverage(concepts), lexical, float(dense.max()) if n else 0.0,
                                 theme_best(dense, themes, no_theme), ranking_all / top if top > 0 else ranking_all)
        matched = allowed & self._relevant(inputs, r.method)
        fused = ranking_all if allowed.all() else self._ranking_score(state, dense, lexical, allowed)
        return _Scores(fused, dense, lexical, matched, concepts, inputs)

    QUERY_CACHE_SIZE = 2048

    def _query_vector(self, text: str) -> np.ndarray:
        """The query's embedding, from a small LRU cache: popular queries are encoded once."""
        with self._lock:
            vector = self._query_vectors.get(text)
            if vector is not None:
                self._query_vectors.move_to_end(text)
                return vector
            vector = self.embedder.embed_query(text)
            self._query_vectors[text] = vector
            if len(self._query_vectors) > self.QUERY_CACHE_SIZE:
                self._query_vectors.popitem(last=False)
            return vector

    def relevance_inputs(self, query: str) -> RelevanceInputs:
        """What decides relevance, for every indexed action (bench/fit_relevance.py fits the model on it)."""
        self.refresh()
        state = self._state
        scores = self._score(state, state.normalizer.canonical(query), np.ones(len(state.actions), dtype=bool))
        return scores.inputs

    def _ranking_score(self, state: _State, dense: np.ndarray, lexical: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """The ranking's score over the allowed actions: fusion, then the two best themes' feedback."""
        r = self.ranking
        fused = fuse(r, dense, lexical, allowed)
        if r.theme_feedback and allowed.any():
            fused = theme_feedback(fused, allowed, state.columns, r)
        return fused

    def _relevant(self, inputs: RelevanceInputs, method: str) -> np.ndarray:
        """Which actions really answer the query: P(relevant) at or above the threshold of the model fitted
        on judged queries for this embedder (bench/fit_relevance.py); for another embedder, a need met in
        the action's own words for most of the query, or a cosine near the best one."""
        if not len(inputs.cosine):
            return np.zeros(0, dtype=bool)
        if method == "bm25":
            return inputs.coverage >= 0.5
        if self.relevance is not None:
            return self.relevance.probability(inputs) >= self.relevance.threshold
        return (inputs.coverage >= 0.5) | (inputs.cosine >= inputs.best - 0.3 * self.embedder.score_spread)

    def _explain(self, state: _State, i: int, scores: _Scores) -> Explanation:
        why = state.evidence.explain(state.actions[i], scores.concepts)
        return Explanation(why.words, round(float(scores.lexical[i]), 4), round(float(scores.dense[i]), 4),
                           synonyms=why.synonyms, via=why.via)

    # --- hits ---------------------------------------------------------------------------------

    def _hit(self, state: _State, i: int, score: float, why: Explanation, relevant: bool = True) -> Hit:
        a = state.actions[i]
        return Hit(uri=a.uri, label=a.label, code=a.code, action_type_label=a.action_type_label, axis=a.axis,
                   commune=a.commune, nis=a.nis, province=a.province, programme=a.programme,
                   partners=tuple(a.partners), status=a.status, source=a.source, score=round(score, 4), why=why,
                   publication=a.publication, source_kind=a.source_kind, relevant=relevant)

    # --- similar actions ------------------------------------------------------------------------

    def similar(self, action_uri: str, k: int = 5) -> SearchResults:
        """The actions of OTHER communes that do the same thing (good-practice exchange), ranked by the
        meaning of their own words: label and description, never the type, theme or axis labels a coded
        action carries (so an uncoded action saying the same thing in other words comes before a coded
        one sharing only the nomenclature's words). Each hit says what it shares: the action type, the
        theme, or only the meaning."""
        _check_window(k, 0)
        self.refresh()
        state = self._state
        row = state.index.row.get(action_uri)
        if row is None:
            raise SearchInputError(f"action inconnue : {action_uri}")
        source = state.actions[row]
        meaning = state.own_vectors if state.own_vectors is not None else state.vectors
        dense = inner_products(meaning, np.ascontiguousarray(meaning[row], dtype=np.float32))
        ids = state.columns.ids
        other = ids["commune"] != ids["commune"][row]
        best = float(dense[other].max()) if other.any() else 0.0
        matched = other & (dense >= best - 0.6 * self.embedder.score_spread)
        ranked = top(dense, matched, k)
        words = state.evidence.concepts(source.label, None)
        hits = []
        for i in ranked:
            a = state.actions[i]
            shared = ("type" if a.code and a.code == source.code else
                      "theme" if a.theme and a.theme == source.theme else "meaning")
            why = state.evidence.explain(a, words)
            hits.append(self._hit(state, i, float(dense[i]), Explanation(
                why.words, 0.0, round(float(dense[i]), 4), a.code if shared == "type" else None, shared=shared)))
        notes = self._take_notes(state)
        if not other.any():
            notes.append("aucune autre commune n'a d'action dans le graphe")
        return SearchResults(source.label, tuple(hits), int(matched.sum()), state.columns.counts(matched), tuple(notes))

    # --- classification -----------------------------------------------------------------------

    def classify(self, text: str, k: int = 5) -> list[Candidate]:
        """Candidate action types of the nomenclature for a free-text action, best first."""
        text = (text or "").strip()
        if not text:
            raise SearchInputError("texte vide : décrivez l'action à classer (par ex. « gym douce pour aînés »)")
        _check_window(k, 0)
        self.refresh()
        state = self._state
        with self._lock:
            if state.classifier is None:
                from .classify import Classifier

                state.classifier = Classifier.from_store(self.ws.store, self.ws.uris, self.embedder)
            return state.classifier.classify(text[:MAX_QUERY_CHARS], k)


def _check_window(k: int, offset: int) -> None:
    if not 1 <= k <= MAX_K:
        raise SearchInputError(f"k doit être compris entre 1 et {MAX_K} (reçu : {k})")
    if offset < 0:
        raise SearchInputError(f"offset doit être positif ou nul (reçu : {offset})")


def _listing_key(a: ActionInfo) -> tuple:
    return (a.code is None, a.code or "", a.commune, a.label)


