"""Class and property hierarchies as trees, for the ontology page (asserted and inferred edges)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison


@dataclass
class TreeNode:
    key: str
    inferred: bool = False  # the edge to the parent is the reasoner's
    children: list[TreeNode] = field(default_factory=list)


def forest(keys: Iterable[str], edges: Iterable[tuple[str, str, bool]],
           sort_key: Callable[[str], SupportsRichComparison]) -> list[TreeNode]:
    """Trees of ``keys`` from (child, parent, inferred) ``edges``; a key with several parents
    appears under each, a key with no parent among ``keys`` is a root. Cycles are cut."""
    keys = sorted(set(keys), key=sort_key)
    children: dict[str, list[tuple[str, bool]]] = {k: [] for k in keys}
    has_parent: set[str] = set()
    for child, parent, inferred in edges:
        if child in children and parent in children and child != parent:
            children[parent].append((child, inferred))
            has_parent.add(child)

    def grow(key: str, inferred: bool, path: frozenset[str]) -> TreeNode:
        node = TreeNode(key, inferred)
        for child, edge_inferred in sorted(set(children[key]), key=lambda c: sort_key(c[0])):
            if child not in path:
                node.children.append(grow(child, edge_inferred, path | {child}))
        return node

    roots = [k for k in keys if k not in has_parent]
    return [grow(k, False, frozenset({k})) for k in roots]
