"""Downloads of the graphs (/downloads, /export/<graph>.<ext>) and the VoID description."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for

from kg.export import EXPORT_GRAPHS
from kg.formats import GRAPH_FORMATS, Format, by_extension
from kg.query.results import QueryResult

from ..negotiation import best, offered_list
from ..pages import dcat, schemaorg
from ..pages import void as voiddesc
from ..pages.exports import (
    DOWNLOAD_FORMATS,
    UnknownDownload,
    download,
    download_counts,
    every_download,
    export_name,
    parse_filename,
    served_since,
)
from ..pages.metadata import metadata
from ..state import state
from ..urls import public_url
from .errors import problem

bp = Blueprint("downloads", __name__)


def export_url(graph: str, extension: str, external: bool = False) -> str:
    """A download's path, or (``external``) its absolute URL under the public base URL."""
    make = public_url if external else url_for
    return make("downloads.export", filename=f"{graph}.{extension}")


def download_url(graph: str, fmt: Format) -> str:
    """A download's absolute URL under the public base URL."""
    return public_url("downloads.export", filename=export_name(graph, fmt))


def dataset_jsonld() -> dict:
    """The schema.org Dataset the home page and /downloads embed."""
    links = schemaorg.DatasetLinks(dataset=public_url("downloads.void") + "#dataset", home=public_url("site.home"),
                                   download=download_url, modified=served_since().date().isoformat())
    return state().cache.once(("schema.org", "dataset", links.dataset),
                              lambda: schemaorg.dataset(state(), links))


@bp.get("/downloads.<extension>")
def catalogue_as(extension: str):
    fmt = by_extension(GRAPH_FORMATS, extension)
    if fmt is None:
        return problem(404, "Not Found", f"The downloads' DCAT description comes as "
                       f"{', '.join('/downloads.' + f.extension for f in GRAPH_FORMATS)}.")
    return _catalogue(fmt)


def _catalogue(fmt: Format) -> Response:
    """The DCAT description of the downloads in ``fmt``."""
    triples = state().cache.once(("dcat", public_url("site.home")), lambda: dcat.catalogue(
        state(), public_url("downloads.void") + "#dataset", public_url("downloads.index"), download_url,
        every_download()))
    body = QueryResult("graph", triples=triples).serialize(fmt, {**state().prefixes, **dcat.PREFIXES})
    return Response(body, mimetype=fmt.media_type)


@bp.get("/downloads")
def index():
    choice = best(GRAPH_FORMATS, html=True)
    if choice is None:
        return problem(406, "Not Acceptable", f"/downloads is served as text/html, {offered_list(GRAPH_FORMATS)}.",
                       {"Vary": "Accept"})
    if isinstance(choice, Format):
        response = _catalogue(choice)
        response.vary.add("Accept")
        return response
    return render_template("downloads.html", graphs=EXPORT_GRAPHS, formats=DOWNLOAD_FORMATS,
                           counts=download_counts(), graph_iris=state().store.graph_iris, export_url=export_url,
                           jsonld=dataset_jsonld(), licenses=metadata(state()).licenses,
                           dcat_formats=GRAPH_FORMATS, files=every_download(),
                           served=served_since()), {"Vary": "Accept"}


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
