"""The values a saved query's enumerated parameters may take (grlc's ``enumerate``), read from the graph.

An enumerated parameter's values are those its variable takes in the query's own answer with nothing
bound: ``causes-by-source`` enumerates ``source``, so its values are the sources some cause is cited
for, sorted by their IRI (or lexical form): the same on every store, whose order of tied rows differs.
The answer is cut at :data:`MAX_CHOICES` rows, so no query's list is unbounded.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..store import GraphStore
from .saved import SavedQuery

#: The rows of the unbound answer read for the values (a parameter has at most this many).
MAX_CHOICES = 1000

Choices = dict[str, tuple[ox.NamedNode | ox.Literal, ...]]


def choices(saved: SavedQuery, store: GraphStore) -> Choices:
    """Each enumerated parameter's values, by parameter name, sorted."""
    enumerated = saved.enumerated
    if not enumerated:
        return {}
    rows = store.query(saved.sparql, row_limit=MAX_CHOICES).rows
    found: Choices = {}
    for param in enumerated:
        values = (row.get(param.variable) for row in rows)
        found[param.name] = tuple(sorted({v for v in values if isinstance(v, ox.NamedNode | ox.Literal)},
                                         key=lambda term: term.value))
    return found
