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

import difflib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from .action_data import ActionInfo, embedded_text, load_actions, store_fingerprint
from .config import PROGRAMMES
from .embedders import Embedder, load_embedder
from .errors import PcsError
from .index import IndexReport, SearchIndex, build_or_update, check_index
from .lexical import FrenchAnalyzer, SynonymExpander
from .search_types import Candidate, Explanation, FacetValue, Hit, SearchFilters, SearchResults

if TYPE_CHECKING:
    from .classify import Classifier
    from .workspace import Workspace

MAX_QUERY_CHARS = 500
MAX_K = 1000
PARTNER_KINDS = ("ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner")
PARTNER_KIND_LABELS = {"ASBL": "ASBL", "CPAS": "CPAS", "CommuneService": "Service communal",
                       "PublicBody": "Organisme public", "School": "École", "OtherPartner": "Autre partenaire"}
STATUSES = {"declared": "Code déclaré", "inferred": "Type inféré", "unclassified": "Non classée"}
FACETS = ("axis", "theme", "action_type", "commune", "province", "programme", "partner_kind", "article20", "status")


class SearchInputError(PcsError):
    """A search request that cannot be answered as given (k out of range, unknown action, empty text)."""


@dataclass(frozen=True)
class Ranking:
    """How lexical and dense evidence are combined. SHIPPED is the variant that measured best."""

    name: str
    method: str  # "bm25", "dense", "rrf" or "weighted"
    dense_weight: float = 0.7
    synonyms: bool = True  # expand the query with synonyms of the sector (lexical side)
    synonym_weight: float = 0.5  # weight of an expansion term relative to a query term
    dense_synonyms: bool = False  # also append the expansion to the text that is embedded
    rrf_k: int = 60
    theme_feedback: float = 0.0  # share of its theme's best score an action inherits (top themes only)
    feedback_themes: int = 2


SHIPPED = Ranking("weighted+synonyms+theme", "weighted", dense_weight=0.7, synonyms=True, theme_feedback=0.3)


class _Columns:
    """Per-action facet values as arrays (row i = index row i), so filters and counts are vectorised."""

    def __init__(self, actions: list[ActionInfo]) -> None:
        self.values: dict[str, list[str]] = {}
        self.ids: dict[str, np.ndarray] = {}
        self.labels: dict[str, dict[str, str]] = {name: {} for name in FACETS}
        columns: dict[str, list[str]] = {
            "axis": [str(a.axis) if a.axis else "" for a in actions],
            "theme": [a.theme or "" for a in actions],
            "action_type": [a.code or "" for a in actions],
            "commune": [a.nis for a in actions],
            "province": [a.province_nis for a in actions],
            "programme": [a.programme for a in actions],
            "article20": ["true" if a.article20 else "false" for a in actions],
            "status": [a.status for a in actions],
        }
        for a in actions:
            if a.axis and a.axis_label:
                self.labels["axis"][str(a.axis)] = a.axis_label
            if a.code:
                self.labels["action_type"][a.code] = a.action_type_label or a.code
                self.labels["theme"].setdefault(a.theme or "", a.theme_label or f"Thème {a.theme}")
            self.labels["commune"][a.nis] = a.commune
            self.labels["province"][a.province_nis] = a.province
        self.labels["programme"] = {p: p for p in PROGRAMMES}
        self.labels["article20"] = {"true": "Avec partenaire article 20", "false": "Sans partenaire article 20"}
        self.labels["status"] = dict(STATUSES)
        self.labels["partner_kind"] = dict(PARTNER_KIND_LABELS)
        for name, column in columns.items():
            vocab = sorted(set(column))
            lookup = {v: i for i, v in enumerate(vocab)}
            self.values[name] = vocab
            self.ids[name] = np.fromiter((lookup[v] for v in column), dtype=np.int32, count=len(column))
        self.partner_bits = np.fromiter(
            (sum(1 << PARTNER_KINDS.index(p.kind) for p in {p.kind: p for p in a.partners if p.kind in PARTNER_KINDS}.values())
             for a in actions), dtype=np.int32, count=len(actions))

    def mask(self, name: str, wanted: list[str]) -> np.ndarray:
        if name == "partner_kind":
            bits = sum(1 << PARTNER_KINDS.index(k) for k in wanted if k in PARTNER_KINDS)
            return (self.partner_bits & bits) != 0
        lookup = {v: i for i, v in enumerate(self.values[name])}
        ids = [lookup[v] for v in wanted if v in lookup]
        return np.isin(self.ids[name], np.asarray(ids, dtype=np.int32))

    def counts(self, matched: np.ndarray) -> dict[str, tuple[FacetValue, ...]]:
        facets: dict[str, tuple[FacetValue, ...]] = {}
        rows = np.flatnonzero(matched)
        for name, ids in self.ids.items():
            counts = np.bincount(ids[rows], minlength=len(self.values[name]))
            found = [(self.values[name][i], int(c)) for i, c in enumerate(counts) if c and self.values[name][i]]
            found.sort(key=lambda vc: (-vc[1], vc[0]))
            facets[name] = tuple(FacetValue(v, self.labels[name].get(v, v), c) for v, c in found)
        kinds = []
        bits = self.partner_bits[rows]
        for bit, kind in enumerate(PARTNER_KINDS):
            c = int(np.count_nonzero(bits & (1 << bit)))
            if c:
                kinds.append(FacetValue(kind, PARTNER_KIND_LABELS[kind], c))
        facets["partner_kind"] = tuple(sorted(kinds, key=lambda f: -f.count))
        return {name: facets[name] for name in FACETS}


@dataclass
class _State:
    """Everything one version of the store gives search: replaced whole on refresh (thread-safe reads)."""

    fingerprint: str
    index: SearchIndex
    actions: list[ActionInfo]  # in index row order
    columns: _Columns
    vectors: np.ndarray
    notes: tuple[str, ...] = ()
    report: IndexReport | None = None
    classifier: "Classifier | None" = None
    known: dict[str, set[str]] | None = None  # the values each filter accepts (computed once)


@dataclass
class _Scores:
    fused: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    matched: np.ndarray  # boolean: the action answers the query (and passes the filters)
    expansion_terms: dict[str, str] = field(default_factory=dict)  # stem -> phrase that brought it


class SearchEngine:
    FRESHNESS_INTERVAL = 2.0  # seconds between two checks that the store did not change

    def __init__(self, ws: "Workspace", embedder: Embedder, ranking: Ranking = SHIPPED) -> None:
        self.ws = ws
        self.embedder = embedder
        self.ranking = ranking
        self.analyzer = FrenchAnalyzer()
        self.expander = SynonymExpander(self.analyzer)
        self._lock = threading.RLock()  # one embedding at a time (the C engine is not re-entrant)
        self._checked_at = 0.0
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._state: _State = self._load()

    @classmethod
    def open(cls, ws: "Workspace", embedder: Embedder | None = None, ranking: Ranking = SHIPPED) -> "SearchEngine":
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
        return _State(fingerprint, index, ordered, _Columns(ordered), index.vectors, tuple(notes), report)

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
        allowed = self._filter_mask(state, filters, notes)
        if not query:
            notes.append("requête vide : liste des actions qui passent les filtres, sans classement")
            rows = sorted(np.flatnonzero(allowed), key=lambda i: _listing_key(state.actions[i]))
            hits = tuple(self._hit(state, i, 0.0, Explanation()) for i in rows[offset:offset + k])
            return SearchResults("", hits, int(allowed.sum()), state.columns.counts(allowed), tuple(notes))
        scores = self._score(state, query, allowed)
        ranked = _diversified(state, scores.fused, scores.matched, k + offset)[offset:]
        terms = set(self.analyzer.terms(query))
        hits = tuple(self._hit(state, i, score, self._explain(state, i, terms, scores)) for i, score in ranked)
        if self.ranking.synonyms and scores.expansion_terms:
            used = sorted(set(scores.expansion_terms.values()))
            notes.append("synonymes ajoutés : " + ", ".join(used[:12]))
        return SearchResults(query, hits, int(scores.matched.sum()), state.columns.counts(scores.matched), tuple(notes))

    def _score(self, state: _State, query: str, allowed: np.ndarray) -> _Scores:
        r = self.ranking
        n = len(state.actions)
        terms = self.analyzer.terms(query)
        weights = {t: 1.0 for t in terms}
        expansion_terms: dict[str, str] = {}
        dense_text = query
        if r.synonyms:
            expansion = self.expander.expand(query)
            for phrase in expansion.phrases:
                for t in self.analyzer.terms(phrase):
                    if t not in weights:
                        weights[t] = r.synonym_weight
                        expansion_terms[t] = phrase
            if r.dense_synonyms and expansion.phrases:
                dense_text = f"{query} ({', '.join(expansion.phrases)})"
        lexical = state.index.lexical.scores(list(weights), weights) if n else np.zeros(0, dtype=np.float32)
        if r.method == "bm25":
            dense = np.zeros(n, dtype=np.float32)
        else:
            q = self._query_vector(dense_text)
            dense = _inner_products(state.vectors, q)
        matched = allowed & self._answers(dense, lexical, allowed, r.method)
        fused = _fuse(r, dense, lexical, allowed)
        if r.theme_feedback and matched.any():
            fused = _theme_feedback(fused, matched, state.columns, r)
        return _Scores(fused, dense, lexical, matched, expansion_terms)

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

    def _answers(self, dense: np.ndarray, lexical: np.ndarray, allowed: np.ndarray, method: str) -> np.ndarray:
        """Which actions answer the query: a lexical match, or a cosine close to the best one (model-calibrated)."""
        lexical_hit = lexical > 0
        if method == "bm25" or not allowed.any():
            return lexical_hit
        best = float(dense[allowed].max())
        margin = 0.6 * self.embedder.score_spread
        return lexical_hit | (dense >= best - margin)

    def _explain(self, state: _State, i: int, terms: set[str], scores: _Scores) -> Explanation:
        doc_terms = set(self.analyzer.terms(embedded_text(state.actions[i])))
        words = [w for w in self.analyzer.words(state.actions[i].label) if self.analyzer.stem(w) in doc_terms]
        query_hits = sorted({w for w in words if self.analyzer.stem(w) in terms})
        phrases = set(scores.expansion_terms.values())
        synonym_hits = sorted(p for p in phrases if set(self.analyzer.terms(p)) <= doc_terms)
        return Explanation(tuple(query_hits + [s for s in synonym_hits if s not in query_hits]),
                           round(float(scores.lexical[i]), 4), round(float(scores.dense[i]), 4))

    # --- filters ------------------------------------------------------------------------------

    def _filter_mask(self, state: _State, filters: SearchFilters, notes: list[str]) -> np.ndarray:
        columns = state.columns
        mask = np.ones(len(state.actions), dtype=bool)
        wanted: dict[str, list[str]] = {
            "axis": [str(a) for a in filters.axis],
            "theme": list(filters.theme),
            "action_type": list(filters.action_type),
            "commune": [self._commune_nis(c) for c in filters.commune],
            "province": [self._province_nis(state, p) for p in filters.province],
            "programme": list(filters.programme),
            "partner_kind": list(filters.partner_kind),
            "status": [s.lower() for s in filters.status],
        }
        known = self._known_values(state)
        for name, values in wanted.items():
            if not values:
                continue
            good = [v for v in values if v in known[name]]
            for given, value in zip(_given(filters, name), values):
                if value not in known[name]:
                    notes.append(_unknown_note(name, given, known[name], columns.labels[name]))
            mask &= columns.mask(name, good)
        if filters.article20 is not None:
            mask &= columns.mask("article20", ["true" if filters.article20 else "false"])
        return mask

    def _known_values(self, state: _State) -> dict[str, set[str]]:
        if state.known is None:
            state.known = self._compute_known_values(state)
        return state.known

    def _compute_known_values(self, state: _State) -> dict[str, set[str]]:
        c = state.columns
        return {
            "axis": {str(n) for n in range(1, 8)},
            "theme": set(c.values["theme"]) | set(c.labels["theme"]),
            "action_type": set(c.values["action_type"]) | set(c.labels["action_type"]),
            "commune": {x.nis for x in self.ws.communes.communes},
            "province": {x.province_nis for x in self.ws.communes.communes},
            "programme": set(PROGRAMMES),
            "partner_kind": set(PARTNER_KINDS),
            "status": set(STATUSES),
        }

    def _commune_nis(self, given: str) -> str:
        from .errors import UnknownCommuneError

        try:
            return self.ws.communes.find(str(given)).nis
        except UnknownCommuneError:
            return str(given).strip()

    def _province_nis(self, state: _State, given: str) -> str:
        from .text import fold

        for c in self.ws.communes.communes:
            if given.strip() == c.province_nis or fold(given.strip()) == fold(c.province):
                return c.province_nis
        return given.strip()

    # --- hits ---------------------------------------------------------------------------------

    def _hit(self, state: _State, i: int, score: float, why: Explanation) -> Hit:
        a = state.actions[i]
        return Hit(uri=a.uri, label=a.label, code=a.code, action_type_label=a.action_type_label, axis=a.axis,
                   commune=a.commune, nis=a.nis, province=a.province, programme=a.programme,
                   partners=tuple(a.partners), status=a.status, source=a.source, score=round(score, 4), why=why)

    # --- similar actions ------------------------------------------------------------------------

    SAME_TYPE_BONUS = 0.02

    def similar(self, action_uri: str, k: int = 5) -> SearchResults:
        """The closest actions of OTHER communes (good-practice exchange), with their partners."""
        _check_window(k, 0)
        self.refresh()
        state = self._state
        row = state.index.row.get(action_uri)
        if row is None:
            raise SearchInputError(f"action inconnue : {action_uri}")
        source = state.actions[row]
        dense = _inner_products(state.vectors, state.vectors[row])
        other = state.columns.ids["commune"] != state.columns.ids["commune"][row]
        same_type = (state.columns.ids["action_type"] == state.columns.ids["action_type"][row]) & bool(source.code)
        fused = dense + self.SAME_TYPE_BONUS * same_type
        matched = other & self._answers(dense, np.zeros_like(dense), other, "dense")
        matched |= other & same_type
        ranked = _top(fused, matched, k)
        source_terms = set(self.analyzer.terms(embedded_text(source)))
        hits = []
        for i in ranked:
            a = state.actions[i]
            shared = sorted({w for w in self.analyzer.words(a.label) if self.analyzer.stem(w) in source_terms})
            why = Explanation(tuple(shared), 0.0, round(float(dense[i]), 4),
                              a.code if a.code and a.code == source.code else None)
            hits.append(self._hit(state, i, float(fused[i]), why))
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


def _inner_products(vectors: np.ndarray, q: np.ndarray) -> np.ndarray:
    """vectors @ q with faiss's SIMD kernel: one thread, twice as fast as numpy's BLAS on 100k x 384 here."""
    import faiss

    n, d = vectors.shape
    out = np.empty(n, dtype=np.float32)
    if n:
        q = np.ascontiguousarray(q, dtype=np.float32)
        faiss.fvec_inner_products_ny(faiss.swig_ptr(out), faiss.swig_ptr(q), faiss.swig_ptr(vectors), d, n)
    return out


def _check_window(k: int, offset: int) -> None:
    if not 1 <= k <= MAX_K:
        raise SearchInputError(f"k doit être compris entre 1 et {MAX_K} (reçu : {k})")
    if offset < 0:
        raise SearchInputError(f"offset doit être positif ou nul (reçu : {offset})")


def _fuse(r: Ranking, dense: np.ndarray, lexical: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    if r.method == "bm25":
        return lexical.astype(np.float64)
    if r.method == "dense":
        return dense.astype(np.float64)
    if r.method == "rrf":
        fused = np.zeros(len(dense))
        for s, present in ((dense, np.ones(len(dense), dtype=bool)), (lexical, lexical > 0)):
            order = np.argsort(-np.where(allowed, s, -np.inf), kind="stable")
            ranks = np.empty(len(s))
            ranks[order] = np.arange(1, len(s) + 1)
            fused += np.where(present, 1.0 / (r.rrf_k + ranks), 0.0)
        return fused
    d = _minmax(dense, allowed)
    lex_max = float(lexical[allowed].max()) if allowed.any() else 0.0
    lex = lexical / lex_max if lex_max > 0 else np.zeros(len(lexical))
    return r.dense_weight * d + (1 - r.dense_weight) * lex


def _theme_feedback(fused: np.ndarray, matched: np.ndarray, columns: _Columns, r: Ranking) -> np.ndarray:
    """Actions of the best-scoring themes inherit part of their theme's best score: the nomenclature
    groups what answers the same need ("Rencontre dans un lieu de convivialité" next to "personnes isolées")."""
    themes = columns.ids["theme"]
    empty = columns.values["theme"].index("") if "" in columns.values["theme"] else -1
    best: dict[int, float] = {}
    for i in _top(fused, matched, 200):  # a top theme's best action is among the best actions
        t = int(themes[i])
        if t != empty and t not in best:
            best[t] = float(fused[i])
            if len(best) == r.feedback_themes:
                break
    if not best:
        return fused
    scale = float(fused[matched].max()) or 1.0
    bonus = np.zeros(len(columns.values["theme"]))
    for t, value in best.items():
        bonus[t] = value / scale
    return fused + r.theme_feedback * bonus[themes] * matched


def _minmax(values: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    if not allowed.any():
        return np.zeros(len(values))
    lo, hi = float(values[allowed].min()), float(values[allowed].max())
    return (values - lo) / (hi - lo) if hi > lo else np.ones(len(values))


def _top(scores: np.ndarray, matched: np.ndarray, k: int) -> list[int]:
    """Indices of the k best matched rows, best first (ties: index order, so results are stable)."""
    candidates = np.flatnonzero(matched)
    if len(candidates) > k:
        part = np.argpartition(-scores[candidates], k - 1)[:k]
        candidates = candidates[part]
    order = np.lexsort((candidates, -scores[candidates]))
    return [int(i) for i in candidates[order]]


DUPLICATE_DECAY = 0.4


def _diversified(state: _State, scores: np.ndarray, matched: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k best rows, where each further action of the same commune and the same type (or the same
    text) counts for DUPLICATE_DECAY of its score: three identical Mons lines with different partners
    do not push every other kind of answer off the first page."""
    window = _top(scores, matched, 3 * k + 20)
    seen: dict[tuple[str, str], int] = {}
    adjusted = []
    for i in window:
        a = state.actions[i]
        key = (a.nis, a.code or embedded_text(a))
        adjusted.append((float(scores[i]) * DUPLICATE_DECAY ** seen.get(key, 0), i))
        seen[key] = seen.get(key, 0) + 1
    adjusted.sort(key=lambda si: (-si[0], si[1]))
    return [(i, score) for score, i in adjusted[:k]]


def _listing_key(a: ActionInfo) -> tuple:
    return (a.code is None, a.code or "", a.commune, a.label)


def _given(filters: SearchFilters, name: str) -> list[str]:
    return [str(v) for v in getattr(filters, name)]


def _unknown_note(name: str, given: str, known: set[str], labels: dict[str, str]) -> str:
    names = {"axis": "axe", "theme": "thème", "action_type": "type d'action", "commune": "commune",
             "province": "province", "programme": "programmation", "partner_kind": "type de partenaire",
             "status": "statut"}
    choices = sorted(set(known) | {lab for lab in labels.values()})
    close = difflib.get_close_matches(given, choices, n=3)
    hint = f" ; vouliez-vous dire : {', '.join(close)} ?" if close else ""
    if name in ("axis", "programme", "partner_kind", "status", "province"):
        shown = sorted({labels.get(v, v) for v in known}) if name == "province" else sorted(known)
        hint += f" (valeurs possibles : {', '.join(shown)})"
    return f"valeur inconnue pour le filtre {names[name]} : {given!r}, ce filtre ne retient aucune action{hint}"
