"""The page models: what each page shows, read from the store by our own SPARQL (``webapp/sparql``).

Views (``webapp/views``) turn a request into a call here and the model into a response.
"""

from __future__ import annotations

from kg.query.library import QueryLibrary
from kg.resources import path

#: The pages' own queries, ``webapp/sparql/NAME.rq``.
SPARQL = QueryLibrary(path("webapp", "sparql"))
