"""French semantic search over the actions: hybrid ranking, facets, similar actions, classification.

    engine = SearchEngine.open(ws)                                   # model, index and metadata, loaded once
    results = engine.search("personnes âgées isolées", SearchFilters(axis=(5,)), k=10)
    results.hits[0].label, results.hits[0].why.matched_terms, results.facets["province"]
    engine.similar("https://w3id.org/pcs/id/action/53053/2020-2025/23", k=5)   # other communes' actions
    engine.classify("Gym douce pour aînés", k=5)                              # candidate action types

Ranking (`ranking.py`, measured by bench/search_quality.py): accents and case restored from the corpus
(`query.py`); the sector's synonyms expand the lexical side; BM25 and the cosine of centred vectors
(`state.py`) are rescaled over the filtered candidates and mixed by score, times a power of the share
of the query's needs each action meets (`relevance.py`); the two best themes and the query's most
probable action types (`bridge.py`) lend part of the best score; a further action of the same commune
and type counts for DUPLICATE_DECAY. Filters apply before the top k. `relevant` is a probability
fitted on judged queries; `total` and the facets count those only; the page is completed with the
nearest others, flagged, and the notes say when none answers. Explanations name only what is in an
action's own label or description, or say what else matched.

Inputs: an empty query lists the filtered actions (no ranking, with facets), with a note; a query
longer than MAX_QUERY_CHARS is cut, with a note; an unknown facet value is noted and matches nothing;
k < 1, offset < 0 or an unknown action URI raise SearchInputError. The engine notices when the store
changed under it and rebuilds its index before answering, saying so in the notes. In the server,
`SearchEngine.open(ws, background=True)` returns at once and a BackgroundIndexer (`builder.py`) builds
the index in its own thread: until the vectors are ready, search answers from BM25 alone with a note
("index sémantique en construction : 12 000 / 20 000 actions") and the hybrid ranking follows.
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
from .actions import ActionInfo, load_actions, store_fingerprint
from .embedders import Embedder, load_embedder
from .closewords import CloseWords
from .index import IndexReport, SearchIndex, build_or_update, check_index
from .glossary import glossary_notes
from .lexical import FrenchAnalyzer, SynonymExpander
from .pool import EncoderOptions, PassageEncoder
from .query import cached
from .relevance import Concept, RelevanceInputs, RelevanceModel, theme_best
from .ranking import LEXICAL_ONLY, SHIPPED, Ranking, diversified, fuse, theme_feedback, top
from .state import EngineState as _State
from .state import engine_state
from .types import Candidate, Explanation, Hit, SearchFilters, SearchResults
from .vectors import recipe_named

if TYPE_CHECKING:
    from .builder import BackgroundIndexer, IndexStatus

MAX_QUERY_CHARS = 500
MAX_K = 1000
# similar(): centred cosine + 0.3 x the source's needs met; « même sens » (no shared type or theme) from 0.5
SIMILAR_NEEDS, SIMILAR_FLOOR = 0.3, 0.5  # which 32 % of the judged counterparts, 18 % of other near neighbours reach
MAIN_NEED_COVERAGE, MAIN_NEED_RANK = 0.4, 0.9  # relevant too: main need met, 40 % of needs, 90 % of the best score


class SearchInputError(PcsError):
    """A search request that cannot be answered as given (k out of range, unknown action, empty text)."""


class SearchNotReady(PcsError):
    """The server is still reading or building its index: what was asked needs it (a 503 for the API)."""


@dataclass
class _Scores:
    fused: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    matched: np.ndarray  # boolean: the action really answers the query (and passes the filters)
    concepts: list[Concept] = field(default_factory=list)  # the query's needs, for explanations
    inputs: RelevanceInputs | None = None
    lent: dict[int, str] = field(default_factory=dict)  # action type id -> label: types that lent score


class SearchEngine:
    FRESHNESS_INTERVAL = 2.0  # seconds between two checks that the store did not change
    READY_TIMEOUT_S = 30.0  # how long a search waits for the first (lexical) state of a background engine

    def __init__(self, ws: Workspace, embedder: Embedder, ranking: Ranking = SHIPPED, background: bool = False,
                 options: EncoderOptions | None = None) -> None:
        self.ws = ws
        self.embedder = embedder
        self.ranking = ranking
        self.analyzer = FrenchAnalyzer()
        self.expander = SynonymExpander(self.analyzer)
        self.close_words = CloseWords.load()  # words of close meaning (a committed table, read once)
        self._lock = threading.RLock()  # one embedding at a time (the C engine is not re-entrant)
        self._checked_at = 0.0
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.relevance = RelevanceModel.load(embedder.name)
        self._ready = threading.Event()
        self.indexer: "BackgroundIndexer | None" = None
        if background:
            from . import builder

            self._state: _State | None = None
            self.indexer = builder.BackgroundIndexer(ws, embedder, self.analyzer, self._install, options)
            self.indexer.start()
        else:
            self._state = self._load()
            self._ready.set()

    @classmethod
    def open(cls, ws: Workspace, embedder: Embedder | None = None, ranking: Ranking = SHIPPED,
             background: bool = False, options: EncoderOptions | None = None) -> "SearchEngine":
        """The engine over the store's index. background=True (the server): returns at once, see the module doc."""
        return cls(ws, embedder or load_embedder(ws.settings.embedder), ranking, background, options)

    def with_ranking(self, ranking: Ranking) -> "SearchEngine":
        """The same engine (same model, index and metadata) ranking another way: for benchmarks."""
        clone = object.__new__(type(self))  # a subclass keeps its own loading (bench/search_speed.py)
        clone.__dict__.update(self.__dict__)
        clone.ranking = ranking
        return clone

    # --- loading and freshness ------------------------------------------------------------------

    def _load(self) -> _State:
        store, uris = self.ws.store, self.ws.uris
        directory = self.ws.settings.resolved_index_dir
        recipe = recipe_named(self.ws.settings.index_recipe)
        fingerprint = store_fingerprint(store, uris)
        actions = load_actions(store, uris)
        check = check_index(directory, self.embedder, fingerprint, actions, recipe)
        notes: list[str] = []
        report = None
        if check.fresh and check.index is not None:
            index = check.index
        else:
            with PassageEncoder(self.embedder, EncoderOptions.from_env(self.ws.settings.embedder)) as encoder:
                index, report = build_or_update(directory, self.embedder, actions, fingerprint, self.analyzer,
                                                recipe=recipe, encoder=encoder)
            # the reason may name server folders: it stays in the report, not in answers sent to users
            notes.append(f"index de recherche reconstruit ({check.state}) : "
                         f"{report.embedded} actions encodées, {report.reused} réutilisées")
        self._checked_at = time.monotonic()
        return engine_state(index, actions, fingerprint, self.ws.communes, tuple(notes), report, self.analyzer)

    def _install(self, index: SearchIndex, actions: list[ActionInfo], fingerprint: str,
                 report: IndexReport | None) -> None:
        """Called by the background indexer: the new state replaces the old one whole (readers never lock)."""
        self._state = engine_state(index, actions, fingerprint, self.ws.communes, (), report, self.analyzer)
        self._ready.set()

    def _current(self) -> _State:
        """The state in service; a background engine's first search waits (a little) for the first one."""
        state = self._state
        if state is not None:
            return state
        if self.indexer is not None:
            deadline = time.monotonic() + self.READY_TIMEOUT_S
            while not self._ready.wait(0.1):
                status = self.indexer.status()
                if status.state == "failed" or time.monotonic() > deadline:
                    raise SearchNotReady(f"index de recherche en préparation ({status.error or 'lecture des actions'})"
                                         " : réessayez dans quelques secondes")
        assert self._state is not None
        return self._state

    def status(self) -> "IndexStatus | None":
        """The background indexer's status (None for an engine that built its index before answering)."""
        return self.indexer.status() if self.indexer is not None else None

    def close(self) -> None:
        """Stop a background build (its worker processes are terminated; nothing half-written is left)."""
        if self.indexer is not None:
            self.indexer.stop()

    def refresh(self, force: bool = False) -> bool:
        """Reload when the store changed since the index was loaded. True when it reloaded. A background
        engine only wakes its indexer (which checks and updates in its own thread) and returns False."""
        if self.indexer is not None:
            self.indexer.wake()
            return False
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
        return self._current().report

    @property
    def size(self) -> int:
        return len(self._current().actions)

    @property
    def actions(self) -> list[ActionInfo]:
        """The indexed actions, in index row order (what benchmarks judge hits against)."""
        return self._current().actions

    def search(self, query: str, filters: SearchFilters = SearchFilters(), k: int = 10, offset: int = 0) -> SearchResults:
        _check_window(k, offset)
        self.refresh()
        state = self._current()
        notes = self._take_notes(state)
        if state.vectors is None and self.indexer is not None:
            notes.append(self.indexer.status().note or "index sémantique en construction")
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

    def relevance_inputs(self, query: str) -> RelevanceInputs:
        """What decides relevance, for every indexed action (bench/fit_relevance.py fits the model on it)."""
        self.refresh()
        state = self._current()
        scores = self._score(state, state.normalizer.canonical(query), np.ones(len(state.actions), dtype=bool))
        assert scores.inputs is not None
        return scores.inputs

    def _score(self, state: _State, query: str, allowed: np.ndarray) -> _Scores:
        r = self.ranking if state.vectors is not None else LEXICAL_ONLY
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
        q = None if r.method == "bm25" or state.vectors is None else state.centred(self._query_vector(dense_text))
        dense = np.zeros(n, dtype=np.float32) if q is None else state.dense_scores(q)
        concepts = state.evidence.concepts(query, self.expander if r.synonyms else None,
                                           self.close_words if r.close_words else None)
        coverage, main_need = state.evidence.needs_met(concepts)
        themes = state.columns.values["theme"]
        ranking_all, lent = self._ranking_score(state, r, dense, lexical, np.ones(n, dtype=bool), coverage, q)
        top_score = float(ranking_all.max()) if n else 0.0
        inputs = RelevanceInputs(dense, coverage, lexical, float(dense.max()) if n else 0.0,
                                 theme_best(dense, state.columns.groups["theme"], themes.index("") if "" in themes else -1),
                                 ranking_all / top_score if top_score > 0 else ranking_all,
                                 main_need)
        matched = allowed & self._relevant(inputs, r.method)
        # one score per action whatever the filters: a filtered list is the full ranking restricted to it
        return _Scores(ranking_all, dense, lexical, matched, concepts, inputs, lent)

    @staticmethod
    def _ranking_score(state: _State, r: Ranking, dense: np.ndarray, lexical: np.ndarray, allowed: np.ndarray,
                       coverage: np.ndarray, q: np.ndarray | None) -> tuple[np.ndarray, dict[int, str]]:
        """The ranking's score over the allowed actions: fusion, the two best themes' feedback, then what the
        query's most probable action types lend their actions (and the labels of those types, by type id)."""
        fused = fuse(r, dense, lexical, allowed, coverage)
        fused = theme_feedback(fused, allowed, state.columns, r) if r.theme_feedback and allowed.any() else fused
        if r.bridge and q is not None and state.bridge is not None:
            return state.bridge.lend(q, fused, allowed, r.bridge)
        return fused, {}

    QUERY_CACHE_SIZE = 2048

    def _query_vector(self, text: str) -> np.ndarray:
        """The query's embedding, from a small LRU cache: popular queries are encoded once."""
        with self._lock:
            return cached(self._query_vectors, text, self.QUERY_CACHE_SIZE, self.embedder.embed_query)

    def _relevant(self, inputs: RelevanceInputs, method: str) -> np.ndarray:
        """Which actions really answer the query: P(relevant) at or above the threshold of the model fitted
        on judged queries for this embedder (bench/fit_relevance.py); for another embedder or the lexical
        ranking alone, a need met in the action's own words for most of the query, or a cosine near the best."""
        if not len(inputs.cosine):
            return np.zeros(0, dtype=bool)
        if method == "bm25" or not inputs.cosine.any():
            return inputs.coverage >= 0.5
        if self.relevance is not None:  # or: the main need met in its own words or a synonym, near the top
            return ((self.relevance.probability(inputs) >= self.relevance.threshold)
                    | ((inputs.main_need >= 1.0) & (inputs.coverage >= MAIN_NEED_COVERAGE)
                       & (inputs.fused >= MAIN_NEED_RANK)))
        return (inputs.coverage >= 0.5) | (inputs.cosine >= inputs.best - 0.3 * self.embedder.score_spread)

    @staticmethod
    def _explain(state: _State, i: int, scores: _Scores) -> Explanation:
        why = state.evidence.explain(state.actions[i], scores.concepts)
        label = scores.lent.get(int(state.bridge.type_ids[i])) if state.bridge is not None else None
        lent = label and label != state.actions[i].label and label not in " ".join(why.via)  # said once, if news
        via = why.via + ((f"via le type d'action « {label} »",) if lent else ())
        return Explanation(why.words, round(float(scores.lexical[i]), 4), round(float(scores.dense[i]), 4),
                           glossary=glossary_notes((*why.words, *why.synonyms)),
                           synonyms=why.synonyms, via=via, close=why.close)

    @staticmethod
    def _hit(state: _State, i: int, score: float, why: Explanation, relevant: bool = True) -> Hit:
        a = state.actions[i]
        return Hit(uri=a.uri, label=a.label, code=a.code, action_type_label=a.action_type_label, axis=a.axis,
                   commune=a.commune, nis=a.nis, province=a.province, programme=a.programme,
                   partners=tuple(a.partners), status=a.status, source=a.source, score=round(score, 4), why=why,
                   publication=a.publication, source_kind=a.source_kind, relevant=relevant)

    # --- similar actions ------------------------------------------------------------------------

    def similar(self, action_uri: str, k: int = 5) -> SearchResults:
        """The actions of OTHER communes that do the same thing (good-practice exchange), ranked by meaning;
        each hit says what it shares: the action type, the theme, or only the meaning."""
        _check_window(k, 0)
        self.refresh()
        state = self._current()
        row = state.index.row.get(action_uri)
        if row is None:
            raise SearchInputError(f"action inconnue : {action_uri}")
        if state.vectors is None:
            note = self.indexer.status().note if self.indexer is not None else None
            raise SearchNotReady(f"{note or 'index sémantique en construction'} : les actions semblables "
                                 "seront proposées quand il sera prêt")
        source = state.actions[row]
        words = state.evidence.concepts(source.label, self.expander, self.close_words)  # its needs, as for a query
        cosine = state.dense_scores(state.row_vector(row))  # centred (state.py)
        dense, ids = cosine + SIMILAR_NEEDS * state.evidence.coverage(words), state.columns.ids
        other = ids["commune"] != ids["commune"][row]
        same_type = other & (ids["action_type"] == ids["action_type"][row]) if source.code else np.zeros_like(other)
        same_theme = other & (ids["theme"] == ids["theme"][row]) if source.theme else np.zeros_like(other)
        close = other & (dense >= SIMILAR_FLOOR)
        matched = close | same_type | same_theme
        ranked, hits = top(dense, matched, k), []
        for i in ranked:  # the type, the theme, or « même sens » only above SIMILAR_FLOOR
            a = state.actions[i]
            shared = "type" if same_type[i] else "theme" if same_theme[i] else "meaning"
            why = state.evidence.explain(a, words)
            hits.append(self._hit(state, i, float(dense[i]), Explanation(
                why.words, 0.0, round(float(cosine[i]), 4), a.code if shared == "type" else None, why.synonyms,
                shared=shared, close=why.close)))
        notes = self._take_notes(state)
        if not other.any():
            notes.append("aucune autre commune n'a d'action dans le graphe")
        elif not close.any():
            notes.append("aucune action d'une autre commune n'a vraiment le même sens" + (" : voici celles du même "
                                                                                         "type ou du même thème" if hits else ""))
        return SearchResults(source.label, tuple(hits), int(matched.sum()), state.columns.counts(matched), tuple(notes))

    # --- classification -----------------------------------------------------------------------

    def classify(self, text: str, k: int = 5) -> list[Candidate]:
        """Candidate action types of the nomenclature for a free-text action, best first."""
        text = (text or "").strip()
        if not text:
            raise SearchInputError("texte vide : décrivez l'action à classer (par ex. « gym douce pour aînés »)")
        _check_window(k, 0)
        self.refresh()
        state = self._current()
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
