"""A document served both as a page and as RDF (the ontology, the SHACL shapes, the validation
report), by content negotiation at one URL and by suffix at others.

``/ontology`` answers a browser with the page and an RDF client with Turtle, N-Triples, JSON-LD or
RDF/XML as its Accept header asks (``Vary: Accept``, ``Content-Location`` naming the suffixed URL);
``/ontology.ttl`` forces a format. Every answer carries ``Link`` headers to the other
representations and an ``ETag`` (a conditional GET gets 304); nothing acceptable is 406, an unknown
suffix 404, each naming what is offered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from flask import Response, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as BaseResponse

from kg.formats import GRAPH_FORMATS, Format, by_extension

from ..negotiation import HTML, alternates, best, offered_list
from ..state import state
from .errors import problem


@dataclass(frozen=True)
class Document:
    #: What it is, for messages ("The ontology").
    name: str
    #: The page's endpoint; the serialisations are served by ``endpoint + "_as"`` (``extension=``).
    endpoint: str
    #: The page, rendered once per served build (so it must not depend on the request beyond its
    #: URL): the ontology's documentation is 120 kB of HTML, about 70 ms to render.
    page: Callable[[], str]
    rdf: Callable[[Format], bytes]

    def url(self, fmt: Format | None) -> str:
        """Where the page (None) or the document in ``fmt`` is served."""
        return url_for(f"{self.endpoint}_as", extension=fmt.extension) if fmt else url_for(self.endpoint)

    def respond(self, forced: Format | None = None, *, page_here: bool = True) -> ResponseReturnValue:
        """The document in ``forced`` (a suffix) or as negotiated. The page is the page itself when
        ``page_here``; elsewhere (an IRI that names the document) a 303 See Other to it."""
        choice = forced or best(GRAPH_FORMATS, html=True)
        if choice is None:
            return problem(406, "Not Acceptable",
                           f"{self.name} is available as {HTML}, {offered_list(GRAPH_FORMATS)}.",
                           {"Vary": "Accept", "Link": alternates(self.url, GRAPH_FORMATS, HTML)})
        response: BaseResponse
        if not isinstance(choice, Format):
            response = Response(state().cache.once(("page", self.endpoint), self.page)) if page_here \
                else redirect(self.url(None), code=303)
        else:
            response = Response(self.rdf(choice), mimetype=choice.media_type)
            response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
            if forced is None:
                response.headers["Content-Location"] = self.url(choice)
        response.headers["Link"] = alternates(self.url, GRAPH_FORMATS, choice)
        if forced is None:
            response.vary.add("Accept")
        return response.make_conditional(request)

    def by_suffix(self, extension: str) -> ResponseReturnValue:
        fmt = by_extension(GRAPH_FORMATS, extension)
        if fmt is None:
            offered = ", ".join(f"{self.url(f)} ({f.media_type})" for f in GRAPH_FORMATS)
            return problem(404, "No such format", f"{self.name} is served as {offered}.")
        return self.respond(fmt)


def serialised(key: str, fmt: Format, make: Callable[[], bytes]) -> bytes:
    """``make()``'s bytes, once per served build and format."""
    return state().cache.once(("document", key, fmt.extension), make)
