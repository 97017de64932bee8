"""The whole ontology, by content negotiation: at /ontology, at the ontology's IRI and at its version IRI.

A browser gets the documentation (``/ontology``; the ontology's IRI and version IRI answer 303 See
Other to it), an RDF client the ontology graph in Turtle, N-Triples, JSON-LD or RDF/XML, chosen by
the Accept header or forced by a suffix (``/ontology.ttl``, ``/id/ontology.rdf``), with ``Vary:
Accept`` and ``Link`` headers naming the other representations. Which IRIs are the ontology's is
read from the graph (its ``owl:Ontology`` and that one's ``owl:versionIRI``).
"""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from kg.formats import GRAPH_FORMATS, Format

from ..negotiation import HTML, alternates, best, offered_list
from ..pages import SPARQL
from ..pages.exports import download
from ..pages.ontology import ontology_page
from ..state import state
from .errors import problem


def iris() -> frozenset[str]:
    """The ontology's IRI and its version IRI, as the graph states them."""
    def read() -> frozenset[str]:
        rows = SPARQL.run(state().store, "ontology-header").rows
        return frozenset(row[name].value for row in rows for name in ("ontology", "versionIRI") if name in row)

    return state().cache.once(("ontology-iris",), read)


def url(fmt: Format | None) -> str:
    """Where the documentation (None) or the ontology in ``fmt`` is served."""
    return url_for("site.ontology_as", extension=fmt.extension) if fmt else url_for("site.ontology")


def respond(forced: Format | None, *, page_here: bool) -> ResponseReturnValue:
    """The ontology in the format ``forced`` (a suffix) or negotiated; HTML is the page itself when
    ``page_here`` (at /ontology), else a 303 See Other to it."""
    choice = forced or best(GRAPH_FORMATS, html=True)
    if choice is None:
        return problem(406, "Not Acceptable", f"The ontology is available as {HTML}, {offered_list(GRAPH_FORMATS)}.",
                       {"Vary": "Accept", "Link": alternates(url, GRAPH_FORMATS, HTML)})
    if not isinstance(choice, Format):
        if page_here:
            response = Response(render_template("ontology.html", vocabulary=ontology_page(), formats=GRAPH_FORMATS))
        else:
            response = redirect(url(None), code=303)  # type: ignore[assignment]
    else:
        item = download("ontology", choice)
        response = Response(item.content, mimetype=choice.media_type)
        response.set_etag(item.etag)
        response.last_modified = item.last_modified
        if forced is None:
            response.headers["Content-Location"] = url(choice)
    response.headers["Link"] = alternates(url, GRAPH_FORMATS, choice)
    if forced is None:
        response.vary.add("Accept")
    return response.make_conditional(request)
