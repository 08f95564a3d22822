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
The actions of the 2014-2019 plans (4 axes of their own, no nomenclature to learn from) are left as they are.
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
OLD_SCHEME_PROGRAMMES = ("2014-2019",)


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


def decide(pending: list[AxisPending], guess: Callable[[str], AxisGuess],
           calibration: AxisCalibration | None) -> list[AxisDecision]:
    """The axis of each 7-axis action and whether its calibrated probability reaches the threshold."""
    out = []
    for action in pending:
        if action.scheme != "nomenclature":
            continue
        g = guess(action.label)
        p = calibration.probability(g.share, g.lead) if calibration is not None else None
        out.append(AxisDecision(action, g.axis, p, p is not None and p >= calibration.threshold))  # type: ignore[union-attr]
    return out


def infer_axes(ws: Workspace, guess: Callable[[str], AxisGuess], calibration: AxisCalibration | None,
               method: str = AXIS_METHOD) -> AxisOutcome:
    """Write the confident axes of the actions with none, in ONE update of graph/classification."""
    decisions = decide(axis_pending(ws.store, ws.uris), guess, calibration)
    written = [d for d in decisions if d.written]
    if written:
        inserts = " ".join(inferred_axis_triples(ws.uris, d.action.uri, d.axis, d.probability or 0.0, method)
                           for d in written)
        graph = ws.uris.graph("classification")
        ws.store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {inserts} }} }} ;\n{stamp_update(ws.uris)}")
    return AxisOutcome(len(written), len(decisions) - len(written), tuple(decisions))


def inferred_axis_triples(uris: Uris, action: str, axis: int, probability: float, method: str) -> str:
    """The N-Triples-like statements of one inferred axis (for an INSERT DATA of graph/classification)."""
    score = Literal(f"{probability:.3f}", datatype=XSD.decimal).n3()
    return (f"<{action}> pcs:axis <{uris.axis(axis)}> ; pcs:axisStatus pcs:Inferred ; pcs:axisScore {score} ; "
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
