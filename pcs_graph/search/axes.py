"""The axis of an action that has neither a type nor a stated axis: inferred, calibrated, written with its provenance.

    pending = axis_pending(ws.store, ws.uris)     # live actions with no axis at all (no code, none stated)
    outcome = infer_axes(ws, guess, AxisCalibration.load(embedder.name), method)
    outcome.inferred, outcome.unknown             # written / left unknown (listed by `pcs review`)

`guess(label)` is the classifier's best axis for a text with its raw share and lead (see
`classify.classify_unclassified`, which runs this right after assigning types). An axis is written when
its calibrated probability reaches the calibration's threshold (bench/axis_quality.py measures both,
leaving one commune out); below it, or with no calibration for the model, the axis stays unknown.

What is written, in `graph/classification`, apart from the action type's own status:

    <action> pcs:axis <axis/3> ; pcs:axisStatus pcs:Inferred ;
             pcs:axisScore 0.86 ; pcs:axisMethod "…" .

so a researcher tells an inferred axis from one the source gives: `pcs:axisStatus pcs:Inferred` is
written for every axis the classifier wrote (with a type or alone); a declared axis is that of an action
whose `pcs:classificationStatus` is `pcs:Declared`; any other axis is the one the source states.
The actions of the 2014-2019 plans are placed on the 4 axes of their own programme (`axis/2014-2019/N`)
from the same classifier: its shares of the 7 axes are summed by the 2014-2019 axis each one falls under
(`OLD_AXIS_OF_NEW`, read from the Region's examples of actions for each old axis, OLD_AXIS_EXAMPLES), then
calibrated separately (its own file, fitted by bench/axis_quality.py on actions whose 2020-2025 axis has an
unambiguous 2014-2019 counterpart).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Literal
from rdflib.namespace import XSD

from ..graph.uris import Uris
from ..store import Store
from ..store.state import stamp_update
from ..store.workspace import Workspace
from .calibration import AxisCalibration

AXIS_METHOD = ("axe le plus probable selon le classifieur (libellés de la nomenclature et des actions déclarées, "
               "vocabulaire des axes) ; probabilité calibrée sur des actions tenues à l'écart (une commune à la fois)")
OLD_AXIS_METHOD = ("axe 2014-2019 sous lequel tombe l'axe 2020-2025 le plus probable selon le classifieur (1→1, 2→2, "
                   "3→3, 4→3, 5→4, 6→4, 7→1, d'après les exemples d'actions publiés par la Région) ; probabilité "
                   "calibrée sur des actions dont l'axe 2020-2025 a un équivalent 2014-2019 sans ambiguïté")
OLD_SCHEME_PROGRAMMES = ("2014-2019",)
OLD_SCHEME = "axes-2014-2019"
# The Region's examples of actions for each axis of 2014-2019 ("Qu'est-ce que le Plan de cohésion sociale ?",
# PCS 2014-2019 brochure: http://docplayer.fr/48624-Introduction-qu-est-ce-que-le-plan-de-cohesion-sociale.html).
OLD_AXIS_EXAMPLES: dict[int, str] = {
    1: "alphabétisation, accompagnement à la recherche d'emploi, réinsertion socioprofessionnelle, relooking, mobilité, "
       "économie sociale, halte-garderie pour demandeurs d'emploi",
    2: "accompagnement social dans le logement, éducation à la gestion du logement, meubles de seconde main, "
       "aide en matière d'économie d'énergie",
    3: "traitement des assuétudes, lutte contre les violences familiales, aide aux personnes handicapées, taxi social, "
       "alimentation saine, santé mentale",
    4: "ateliers intergénérationnels, jardins communautaires, dynamisation des maisons de quartier, activités "
       "multiculturelles, travail de rue",
}
# the 2014-2019 axis each 2020-2025 axis falls under, by those examples: food ("alimentation saine") under
# health (3), mobility under work (1, "mobilité"), participation and digital under the social fabric (4,
# "dynamisation des maisons de quartier": no example names them, the least sure of the seven)
OLD_AXIS_OF_NEW = {1: 1, 2: 2, 3: 3, 4: 3, 5: 4, 6: 4, 7: 1}
# the 2020-2025 axes whose actions the 2014-2019 examples place without ambiguity (to measure the mapping only)
NEW_TO_OLD = {1: 1, 2: 2, 3: 3, 5: 4}


@dataclass(frozen=True)
class AxisPending:
    """A live action with no axis: no code (declared or inferred type) and none stated by its source."""

    uri: str
    label: str
    commune: str
    programme: str | None

    @property
    def scheme(self) -> str:
        """'nomenclature' (the 7 axes of 2020-2025) or 'axes-2014-2019' (not inferred)."""
        return "axes-2014-2019" if self.programme in OLD_SCHEME_PROGRAMMES else "nomenclature"


@dataclass(frozen=True)
class AxisGuess:
    """The classifier's best axis for a text: its number, raw softmax share and lead over the next axis."""

    axis: int
    share: float
    lead: float


@dataclass(frozen=True)
class AxisDecision:
    action: AxisPending
    axis: int
    probability: float | None  # None: no calibration for this model
    written: bool


@dataclass(frozen=True)
class AxisOutcome:
    inferred: int
    unknown: int
    decisions: tuple[AxisDecision, ...]


def axis_pending(store: Store, uris: Uris) -> list[AxisPending]:
    """Every live action with no axis, whatever its programme (the 2014-2019 ones included, see `scheme`)."""
    rows = store.select("""
SELECT ?a (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?commune) (SAMPLE(?p) AS ?programme) WHERE {
  ?a a pcs:Action ; rdfs:label ?l ; pcs:commune/skos:prefLabel ?c .
  FILTER NOT EXISTS { ?a pcs:axis ?x } FILTER NOT EXISTS { ?a pcs:actionType/pcs:axis ?y }
  OPTIONAL { ?a pcs:plan/pcs:programme/skos:notation ?p }
} GROUP BY ?a ORDER BY ?a""")
    return [AxisPending(r["a"], r["label"] or "", r["commune"] or "", r["programme"]) for r in rows]


def old_axis_guess(shares: tuple[tuple[int, float], ...]) -> AxisGuess:
    """The 2014-2019 axis of a text from the classifier's shares of the 7 axes (summed by OLD_AXIS_OF_NEW)."""
    old: dict[int, float] = {}
    for axis, share in shares:
        if axis in OLD_AXIS_OF_NEW:
            old[OLD_AXIS_OF_NEW[axis]] = old.get(OLD_AXIS_OF_NEW[axis], 0.0) + share
    ranked = sorted(old.items(), key=lambda kv: -kv[1])
    if not ranked:
        return AxisGuess(0, 0.0, 0.0)
    lead = ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0.0)
    return AxisGuess(ranked[0][0], float(ranked[0][1]), float(lead))


def decide(pending: list[AxisPending], guess: Callable[[str], AxisGuess], calibration: AxisCalibration | None,
           old_guess: Callable[[str], AxisGuess] | None = None,
           old_calibration: AxisCalibration | None = None) -> list[AxisDecision]:
    """The axis of each action (7 axes, or the 4 of 2014-2019 for those plans) and whether its calibrated
    probability reaches the threshold of its scheme's calibration."""
    out = []
    for action in pending:
        scheme_guess, cal = (guess, calibration) if action.scheme == "nomenclature" else (old_guess, old_calibration)
        if scheme_guess is None:
            continue
        g = scheme_guess(action.label)
        p = cal.probability(g.share, g.lead) if cal is not None else None
        out.append(AxisDecision(action, g.axis, p, p is not None and p >= cal.threshold))  # type: ignore[union-attr]
    return out


def infer_axes(ws: Workspace, guess: Callable[[str], AxisGuess], calibration: AxisCalibration | None,
               method: str = AXIS_METHOD, old_guess: Callable[[str], AxisGuess] | None = None,
               old_calibration: AxisCalibration | None = None, skip: frozenset[str] = frozenset()) -> AxisOutcome:
    """Write the confident axes of the actions with none (but those in `skip`), in ONE update of
    graph/classification (the 2014-2019 ones too when `old_guess` and their calibration are given)."""
    pending = [p for p in axis_pending(ws.store, ws.uris) if p.uri not in skip]
    decisions = decide(pending, guess, calibration, old_guess, old_calibration)
    written = [d for d in decisions if d.written]
    if written:
        model = method[method.rindex(" (modèle"):] if " (modèle" in method else ""
        inserts = " ".join(inferred_axis_triples(ws.uris, d.action.uri, d.axis, d.probability or 0.0, method)
                           if d.action.scheme == "nomenclature" else
                           inferred_axis_triples(ws.uris, d.action.uri, d.axis, d.probability or 0.0,
                                                 OLD_AXIS_METHOD + model, OLD_SCHEME)
                           for d in written)
        graph = ws.uris.graph("classification")
        ws.store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {inserts} }} }} ;\n{stamp_update(ws.uris)}")
    return AxisOutcome(len(written), len(decisions) - len(written), tuple(decisions))


def inferred_axis_triples(uris: Uris, action: str, axis: int, probability: float, method: str,
                          scheme: str = "nomenclature") -> str:
    """The N-Triples-like statements of one inferred axis (for an INSERT DATA of graph/classification)."""
    score = Literal(f"{probability:.3f}", datatype=XSD.decimal).n3()
    return (f"<{action}> pcs:axis <{uris.axis(axis, scheme)}> ; pcs:axisStatus pcs:Inferred ; pcs:axisScore {score} ; "
            f"pcs:axisMethod {Literal(method).n3()} .")


def forget_inferred_axes(uris: Uris, actions: list[str]) -> str:
    """An update deleting the inferred axes of these actions (before a type brings its own axis)."""
    graph = uris.graph("classification")
    values = " ".join(f"<{a}>" for a in actions)
    return (f"DELETE {{ GRAPH <{graph}> {{ ?a pcs:axis ?x ; pcs:axisStatus ?s ; pcs:axisScore ?n ; pcs:axisMethod ?m }} }} "
            f"WHERE {{ VALUES ?a {{ {values} }} GRAPH <{graph}> {{ ?a pcs:axis ?x ; pcs:axisStatus ?s ; "
            f"pcs:axisScore ?n ; pcs:axisMethod ?m }} }}")


@dataclass(frozen=True)
class AxisStatus:
    """What `pcs review` says of an action's axis: the one it has ('stated', 'inferred') or the best guess
    left unknown below the threshold ('unknown'), with its probability."""

    status: str
    axis: int | None
    probability: float | None

    @property
    def text(self) -> str:
        p = f" ({self.probability:.0%})" if self.probability is not None else ""
        if self.status == "unknown":
            return f"inconnu, sous le seuil : axe {self.axis}{p} ?" if self.axis else "inconnu"
        return f"{self.axis} {'inféré' if self.status == 'inferred' else 'indiqué par la source'}{p}"


def axis_status(store: Store, uri: str, stated_axis: int | None, guess: AxisGuess,
                calibration: AxisCalibration | None) -> AxisStatus:
    """The axis of one action `pcs review` lists: stated, inferred (with its score) or unknown (with the guess)."""
    if stated_axis is not None:
        return AxisStatus("stated", stated_axis, None)
    rows = store.select(f"""SELECT ?n ?score ?inferred WHERE {{ <{uri}> pcs:axis/skos:notation ?n .
        OPTIONAL {{ <{uri}> pcs:axisScore ?score }}
        BIND(EXISTS {{ <{uri}> pcs:axisStatus pcs:Inferred }} AS ?inferred) }} LIMIT 1""")
    if rows and rows[0]["inferred"] in ("true", "1", True):
        return AxisStatus("inferred", int(rows[0]["n"]), float(rows[0]["score"] or 0))
    if rows:  # an axis the source states (of the 2014-2019 scheme for an older plan)
        return AxisStatus("stated", int(rows[0]["n"]), None)
    p = calibration.probability(guess.share, guess.lead) if calibration is not None else None
    return AxisStatus("unknown", guess.axis or None, p)


def old_scheme_unknown(store: Store, uris: Uris, old_guess: Callable[[str], AxisGuess],
                       calibration: AxisCalibration | None) -> list[tuple[AxisPending, AxisStatus]]:
    """The actions of 2014-2019 plans still without an axis, with the best of their 4 axes and its probability
    (what `pcs review` adds to the uncoded actions of the 7-axis plans)."""
    out = []
    for action in (p for p in axis_pending(store, uris) if p.scheme == OLD_SCHEME):
        g = old_guess(action.label)
        p = calibration.probability(g.share, g.lead) if calibration is not None else None
        out.append((action, AxisStatus("unknown", g.axis or None, p)))
    return out
