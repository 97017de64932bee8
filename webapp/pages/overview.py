"""The whole picture at a glance (the home page): causes by prevalence and severity, warning
signs, sources, counts, and the diagram causes → symptoms, linked to sources.

All of it comes from ``webapp/sparql/home-*.rq``; this module groups rows and lays out the
diagram. It is computed once per app: the served graph does not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..state import AppState, state
from . import SPARQL, diagram
from .exports import triple_counts


@dataclass
class Cause:
    iri: ox.NamedNode
    tone: str
    need: ox.NamedNode | None
    effects: list[ox.NamedNode] = field(default_factory=list)
    examples: list[ox.NamedNode] = field(default_factory=list)
    sources: list[ox.NamedNode] = field(default_factory=list)


@dataclass
class CauseGroup:
    """The causes that share a prevalence and a severity, in the article's order."""

    prevalence: ox.NamedNode | None
    severity: ox.NamedNode | None
    tone: str
    causes: list[Cause] = field(default_factory=list)


@dataclass
class OverviewCriterion:
    iri: ox.NamedNode
    features: list[ox.NamedNode] = field(default_factory=list)


@dataclass
class Overview:
    header: dict
    groups: list[CauseGroup]
    criteria: list[OverviewCriterion]
    sources: list[tuple[ox.NamedNode, int]]
    counts: dict[str, int]
    graph_counts: dict[str, int]
    picture: diagram.Picture | None


def _causes(app_state: AppState) -> list[CauseGroup]:
    store = app_state.store
    causes: dict[ox.NamedNode, Cause] = {}
    groups: dict[tuple, CauseGroup] = {}
    for row in SPARQL.run(store, "home-causes").rows:
        cause = causes.setdefault(row["cause"], Cause(row["cause"], row["tone"].value if "tone" in row else "neutral",
                                                      row.get("need")))
        key = (row.get("prevalence"), row.get("severity"))
        group = groups.setdefault(key, CauseGroup(*key, tone=cause.tone))
        if cause not in group.causes:
            group.causes.append(cause)
    for row in SPARQL.run(store, "home-cause-links").rows:
        cause_of = causes.get(row["cause"])
        links = {"effect": cause_of.effects, "example": cause_of.examples, "source": cause_of.sources}.get(
            row["link"].value) if cause_of else None
        if links is not None and row["target"] not in links:
            links.append(row["target"])
    return list(groups.values())


def _criteria(app_state: AppState) -> list[OverviewCriterion]:
    criteria: dict[ox.NamedNode, OverviewCriterion] = {}
    for row in SPARQL.run(app_state.store, "home-warnings").rows:
        criterion = criteria.setdefault(row["criterion"], OverviewCriterion(row["criterion"]))
        if "feature" in row:
            criterion.features.append(row["feature"])
    return list(criteria.values())


def picture(app_state: AppState, groups: list[CauseGroup]) -> diagram.Picture | None:
    """Sources (left) → causes (middle, coloured by severity) → what they can cause (right)."""
    label = app_state.label
    nodes: dict[str, diagram.Node] = {}
    edges: list[diagram.Edge] = []
    causes = [cause for group in groups for cause in group.causes]
    for cause in causes:
        nodes[cause.iri.value] = diagram.Node(cause.iri.value, label(cause.iri.value), 1, shape="box", tone=cause.tone)
    for cause in causes:
        for source in cause.sources:
            nodes.setdefault(source.value, diagram.Node(source.value, label(source.value), 0))
            edges.append(diagram.Edge(source.value, cause.iri.value, "cited for", "neutral", show_label=False))
        for effect in cause.effects:
            nodes.setdefault(effect.value, diagram.Node(effect.value, label(effect.value), 2, tone="focus"))
            edges.append(diagram.Edge(cause.iri.value, effect.value, "can cause", cause.tone, show_label=False))
    if not edges:
        return None
    legend = [(group.tone, " · ".join(label(t.value) for t in (group.prevalence, group.severity) if t is not None))
              for group in groups]
    legend += [("neutral", "source the article cites"), ("focus", "what the causes can bring about")]
    return diagram.layered("overview", "Sources, the causes they are cited for, and what the causes can bring about",
                           [n for layer in (0, 1, 2) for n in nodes.values() if n.layer == layer], edges,
                           anchor=1, legend=legend)


def _overview() -> Overview:
    app_state = state()
    store = app_state.store
    groups = _causes(app_state)
    header_rows = SPARQL.run(store, "ontology-header").rows
    count_rows = SPARQL.run(store, "home-counts").rows
    return Overview(
        header=header_rows[0] if header_rows else {},
        groups=groups,
        criteria=_criteria(app_state),
        sources=[(row["source"], int(row["claims"].value)) for row in SPARQL.run(store, "home-sources").rows],
        counts={k: int(v.value) for k, v in (count_rows[0] if count_rows else {}).items()},
        graph_counts=triple_counts(),
        picture=picture(app_state, groups),
    )


def overview() -> Overview:
    return state().cache.once(("overview",), _overview)
