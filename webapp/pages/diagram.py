"""Pictures of the graph: a layered networkx layout, measured here, drawn as SVG by a template.

A picture is a few columns (layers) of nodes joined by edges. networkx places the nodes
(``multipartite_layout``: deterministic, no randomness); this module orders each layer to
cut edge crossings (one barycentre pass towards an anchor layer), turns the layout into
pixel coordinates with room for the labels, and hands ``templates/partials/diagram.svg``
a :class:`Picture` to draw. Colours are chosen by a node's or edge's *tone*, a word the
SPARQL gives (``serious``, ``benign``) or the caller picks (``neutral``, ``focus``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import mean

import networkx as nx

TONES = {
    "serious": "#b3261e",
    "benign": "#2e7d32",
    "neutral": "#5b6475",
    "focus": "#1f5fbf",
    "inferred": "#6a3fb5",
}

FONT_SIZE = 13
CHAR_WIDTH = 7.2  # a generous average advance at FONT_SIZE, so labels never overlap their neighbours
EDGE_CHAR_WIDTH = 6.2  # at the edge-label size (11 px)
ROW = 30  # vertical distance between two nodes of a layer
PAD = 16
DOT_RADIUS = 6
BOX_HEIGHT = 24
BOX_PADDING = 10
MIN_GAP = 110  # horizontal room between two columns, for the edges
LEGEND_ROW = 26
LABEL_AT = 0.65  # where on its curve (0 = source, 1 = target) an edge label sits


def colour(tone: str) -> str:
    return TONES.get(tone, TONES["neutral"])


@dataclass(frozen=True)
class Node:
    """A node: ``key`` is its IRI (the template links it through the ``href`` filter)."""

    key: str
    label: str
    layer: int
    shape: str = "dot"  # "dot" (label beside it) or "box" (label inside it)
    tone: str = "neutral"
    title: str = ""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    tone: str = "neutral"
    show_label: bool = True  # False: the label is only the edge's tooltip


@dataclass(frozen=True)
class PlacedNode:
    node: Node
    x: float
    y: float
    width: float  # of the box; 0 for a dot
    text_x: float
    anchor: str  # SVG text-anchor of the label

    @property
    def colour(self) -> str:
        return colour(self.node.tone)

    @property
    def left(self) -> float:
        return self.x - (self.width / 2 if self.width else DOT_RADIUS)

    @property
    def right(self) -> float:
        return self.x + (self.width / 2 if self.width else DOT_RADIUS)


@dataclass(frozen=True)
class PlacedEdge:
    edge: Edge
    path: str
    label_x: float
    label_y: float
    title: str

    @property
    def colour(self) -> str:
        return colour(self.edge.tone)


@dataclass
class Picture:
    id: str
    title: str
    width: float
    height: float
    nodes: list[PlacedNode]
    edges: list[PlacedEdge]
    legend: list[tuple[str, str, float]] = field(default_factory=list)  # (colour, text, y)

    @property
    def markers(self) -> list[tuple[str, str]]:
        """One arrow head per edge tone used: (tone, colour)."""
        tones = sorted({e.edge.tone for e in self.edges})
        return [(tone, colour(tone)) for tone in tones]


def _text_width(text: str, per_char: float = CHAR_WIDTH) -> float:
    return len(text) * per_char


def order_layers(nodes: list[Node], edges: list[Edge], anchor: int) -> list[Node]:
    """The nodes with every layer but ``anchor`` sorted by the mean position of its neighbours
    in the layer next to it towards the anchor (ties keep the given order)."""
    layers: dict[int, list[Node]] = {}
    for node in nodes:
        layers.setdefault(node.layer, []).append(node)
    neighbours: dict[str, set[str]] = {n.key: set() for n in nodes}
    for edge in edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)
    position = {n.key: i for i, n in enumerate(layers.get(anchor, []))}
    for layer in sorted((k for k in layers if k != anchor), key=lambda k: abs(k - anchor)):
        given = {n.key: i for i, n in enumerate(layers[layer])}

        def barycentre(node: Node, given: dict[str, int] = given) -> tuple[float, int]:
            placed = [position[k] for k in neighbours[node.key] if k in position]
            return (mean(placed) if placed else len(position) + given[node.key], given[node.key])

        layers[layer].sort(key=barycentre)
        position.update({n.key: i for i, n in enumerate(layers[layer])})
    return [n for layer in sorted(layers) for n in layers[layer]]


def _networkx_rows(nodes: list[Node], edges: list[Edge]) -> dict[str, float]:
    """Each node's vertical position in rows (0 = top), from networkx's multipartite layout."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    layers: dict[int, list[str]] = {}
    for node in nodes:
        graph.add_node(node.key)
        layers.setdefault(node.layer, []).append(node.key)
    graph.add_edges_from((e.source, e.target) for e in edges)
    # layers as ordered lists (a layer *name* makes networkx group nodes into unordered sets)
    positions = nx.multipartite_layout(graph, subset_key=layers, align="vertical")
    xs = sorted({round(float(p[0]), 9) for p in positions.values()})
    # networkx spaces columns and rows by the same unit before scaling: recover it
    unit = min((b - a for a, b in pairwise(xs)), default=1.0) or 1.0
    top = min(float(p[1]) for p in positions.values())
    return {key: (float(p[1]) - top) / unit for key, p in positions.items()}


def _column_extents(members: list[Node], first: bool) -> tuple[float, float]:
    """How far a column reaches left and right of its centre line."""
    left: float = DOT_RADIUS
    right: float = DOT_RADIUS
    for node in members:
        if node.shape == "box":
            half = _text_width(node.label) / 2 + BOX_PADDING
            left, right = max(left, half), max(right, half)
        elif first:
            left = max(left, DOT_RADIUS + 6 + _text_width(node.label))
        else:
            right = max(right, DOT_RADIUS + 6 + _text_width(node.label))
    return left, right


def _place_nodes(nodes: list[Node], rows: dict[str, float], gap: float) -> dict[str, PlacedNode]:
    layers = sorted({n.layer for n in nodes})
    placed: dict[str, PlacedNode] = {}
    cursor: float = PAD
    for position, layer in enumerate(layers):
        members = [n for n in nodes if n.layer == layer]
        first = position == 0
        left, right = _column_extents(members, first)
        x = cursor + left
        for node in members:
            y = PAD + BOX_HEIGHT / 2 + rows[node.key] * ROW
            if node.shape == "box":
                width = _text_width(node.label) + 2 * BOX_PADDING
                placed[node.key] = PlacedNode(node, x, y, width, x, "middle")
            elif first:
                placed[node.key] = PlacedNode(node, x, y, 0, x - DOT_RADIUS - 6, "end")
            else:
                placed[node.key] = PlacedNode(node, x, y, 0, x + DOT_RADIUS + 6, "start")
        cursor = x + right + gap
    return placed


def _bezier(t: float, a: float, b: float, c: float, d: float) -> float:
    u = 1 - t
    return u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * d


def _place_edge(edge: Edge, source: PlacedNode, target: PlacedNode, anchor: int) -> PlacedEdge:
    """A curve from source to target; its label sits on the curve nearer the end away from the
    anchor layer, where neighbouring edges have already fanned apart."""
    if source.x <= target.x:
        x1, x2 = source.right, target.left
    else:
        x1, x2 = source.left, target.right
    y1, y2 = source.y, target.y
    middle = (x1 + x2) / 2
    path = f"M{x1:.1f},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    t = LABEL_AT if target.node.layer != anchor else 1 - LABEL_AT
    label_x = _bezier(t, x1, middle, middle, x2)
    label_y = _bezier(t, y1, y1, y2, y2) - 3
    title = f"{source.node.label} — {edge.label} → {target.node.label}" if edge.label else \
        f"{source.node.label} → {target.node.label}"
    return PlacedEdge(edge, path, label_x, label_y, title)


def layered(picture_id: str, title: str, nodes: list[Node], edges: list[Edge], *, anchor: int,
            legend: Sequence[tuple[str, str]] = ()) -> Picture:
    """Lay ``nodes`` out in columns by layer (lowest left) and draw ``edges`` between them.

    ``legend`` is a sequence of (tone, text). Edges whose ends are not among the nodes are dropped.
    """
    keys = {n.key for n in nodes}
    edges = [e for e in edges if e.source in keys and e.target in keys]
    ordered = order_layers(nodes, edges, anchor)
    rows = _networkx_rows(ordered, edges)
    longest_edge_label = max((_text_width(e.label, EDGE_CHAR_WIDTH) for e in edges if e.show_label), default=0)
    gap = max(MIN_GAP, 1.3 * longest_edge_label + 40)
    placed = _place_nodes(ordered, rows, gap)
    drawn = [_place_edge(e, placed[e.source], placed[e.target], anchor) for e in edges]
    width = max(max(p.right, p.text_x + _text_width(p.node.label) if p.anchor == "start" else 0)
                for p in placed.values()) + PAD
    bottom = max((p.y for p in placed.values()), default=0) + BOX_HEIGHT / 2 + PAD
    keyed = [(colour(tone), text, bottom + LEGEND_ROW * i + LEGEND_ROW / 2) for i, (tone, text) in enumerate(legend)]
    height = bottom + LEGEND_ROW * len(legend) + (PAD if legend else 0)
    return Picture(picture_id, title, round(width), round(height), list(placed.values()), drawn, keyed)
