"""Downloads of the graphs (/downloads, /export/<graph>.<ext>) and the VoID description."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for

from kg.export import EXPORT_GRAPHS
from kg.formats import GRAPH_FORMATS
from kg.query.results import QueryResult

from ..negotiation import best, offered_list
from ..pages import void as voiddesc
from ..pages.exports import DOWNLOAD_FORMATS, UnknownDownload, download, download_counts, parse_filename
from ..state import state
from ..urls import public_url
from .errors import problem

bp = Blueprint("downloads", __name__)


def export_url(graph: str, extension: str, external: bool = False) -> str:
    """A download's path, or (``external``) its absolute URL under the public base URL."""
    make = public_url if external else url_for
    return make("downloads.export", filename=f"{graph}.{extension}")


@bp.get("/downloads")
def index():
    return render_template("downloads.html", graphs=EXPORT_GRAPHS, formats=DOWNLOAD_FORMATS,
                           counts=download_counts(), graph_iris=state().store.graph_iris, export_url=export_url)


@bp.get("/export/<path:filename>")
def export(filename: str):
    try:
        graph, fmt = parse_filename(filename)
    except UnknownDownload as exc:
        return problem(404, "No such download", str(exc))
    item = download(graph, fmt)
    response = Response(item.content, mimetype=fmt.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{item.filename}"'
    response.set_etag(item.etag)
    response.last_modified = item.last_modified
    response.cache_control.public = True
    response.cache_control.no_cache = True  # revalidate: cheap, thanks to the ETag
    return response.make_conditional(request)


@bp.get("/.well-known/void")
def void():
    fmt = best(GRAPH_FORMATS)
    if fmt is None:
        return problem(406, "Not Acceptable", f"The VoID description is available as {offered_list(GRAPH_FORMATS)}.",
                       {"Vary": "Accept"})
    links = voiddesc.Links(
        dataset=public_url("downloads.void") + "#dataset",
        sparql_endpoint=public_url("sparql.endpoint"),
        dump=lambda graph, extension: export_url(graph, extension, external=True),
    )
    triples = voiddesc.description(state(), links, download_counts())
    prefixes = {**state().prefixes, **voiddesc.PREFIXES}
    response = Response(QueryResult("graph", triples=triples).serialize(fmt, prefixes), mimetype=fmt.media_type)
    response.vary.add("Accept")
    return response
