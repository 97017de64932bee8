"""schema.org JSON-LD for search engines: the ``Dataset`` (home page, ``/downloads``) and the medical
entities (``MedicalCause``, ``MedicalCondition``, ``MedicalSignOrSymptom``) of the entity pages.

Nothing here is a fact of its own: the dataset's metadata is the ontology header's (``metadata``), an
entity's schema.org types are the ``tw:schemaOrgType`` of its classes (Turtle), its description is the
article's words (its claims' quotes), and every page carries the article's disclaimer. The documents
keep the standard context URL (``https://schema.org``); a page embeds them in
``<script type="application/ld+json">``, which a browser never runs (CSP's ``script-src 'self'`` holds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCTERMS

from kg.formats import Format

from ..state import AppState
from . import SPARQL
from .entity import EntityPage
from .exports import filename, offered
from .metadata import Agent, metadata

CONTEXT = "https://schema.org"
#: The article's claims an entity's description quotes at most.
MAX_QUOTES = 3
#: Header term → schema.org property, for the agents and the dates.
AGENTS = {"creator": DCTERMS.creator, "contributor": DCTERMS.contributor, "publisher": DCTERMS.publisher}
DATES = {"dateCreated": DCTERMS.created, "datePublished": DCTERMS.issued, "dateModified": DCTERMS.modified}


@dataclass(frozen=True)
class DatasetLinks:
    """The absolute URLs the Dataset points at (made by the view from the public base URL)."""

    dataset: str  # the dataset's IRI (VoID's)
    home: str
    download: Callable[[str, Format], str]  # (graph, format) → URL
    modified: str  # when the served build was made (ISO date), if the header does not say


def _agent(agent: Agent) -> dict | str:
    if agent.iri is None:
        return agent.name or ""
    return _compact({"@id": agent.iri, "name": agent.name})


def _compact(doc: dict) -> dict:
    """``doc`` without its empty values."""
    return {key: value for key, value in doc.items() if value not in (None, "", [], {})}


def _one_or_list(values: list):
    return values[0] if len(values) == 1 else values


def _based_on(app_state: AppState) -> dict | None:
    source = metadata(app_state).first(str(DCTERMS.source))
    if not isinstance(source, ox.NamedNode):
        return None
    return _compact({"@type": "CreativeWork", "@id": source.value, "name": app_state.labels.get(source.value)})


def dataset(app_state: AppState, links: DatasetLinks) -> dict:
    """The schema.org Dataset: the header's title, description, licence, agents, dates and version,
    and one DataDownload per download (URL, media type; not its size: a remote store labels blank
    nodes its own way, so the bytes, unlike this page, depend on the store)."""
    meta = metadata(app_state)
    doc: dict = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "@id": links.dataset,
        "url": links.home,
        "name": meta.title,
        "description": meta.description,
        "license": _one_or_list(meta.licenses) if meta.licenses else None,
        "version": meta.version,
        "isBasedOn": _based_on(app_state),
    }
    for name, term in AGENTS.items():
        doc[name] = _one_or_list([_agent(a) for a in meta.agents(str(term))]) if meta.agents(str(term)) else None
    for name, term in DATES.items():
        doc[name] = meta.text(str(term))
    doc["dateModified"] = doc["dateModified"] or links.modified
    doc["distribution"] = [
        {"@type": "DataDownload", "name": filename(graph, fmt), "contentUrl": links.download(graph, fmt),
         "encodingFormat": fmt.media_type}
        for graph, fmt in offered()
    ]
    return _compact(doc)


def schema_types(app_state: AppState, iri: str) -> list[str]:
    """The schema.org types (their local names) a page marks the entity up as; none for most entities."""
    rows = SPARQL.run(app_state.store, "entity-schema-types", entity=ox.NamedNode(iri)).rows
    return [row["schemaType"].value.removeprefix(CONTEXT + "/") for row in rows
            if row["schemaType"].value.startswith(CONTEXT + "/")]


def medical_entity(app_state: AppState, page: EntityPage, url: str) -> dict | None:
    """The entity as its schema.org medical type(s), with only what the article says: its label and
    alternative labels, the quotes of its first claims, its exact cross-references; the page about it
    cites those claims' sources, is based on the article and carries its disclaimer. None for other entities."""
    types = schema_types(app_state, page.iri)
    if not types:
        return None
    quoted = [c for c in page.claims if c.quote][:MAX_QUOTES]
    quotes = list(dict.fromkeys(c.quote for c in quoted))
    sources = list(dict.fromkeys(s for c in quoted for s in c.sources))
    same_as = [v.term.value for g in page.xrefs if g.predicate.value.endswith("#exactMatch")
               for v in g.values if isinstance(v.term, ox.NamedNode)]
    web_page = _compact({
        "@type": "MedicalWebPage",
        "url": url,
        "isBasedOn": _based_on(app_state),
        "citation": [_compact({"@type": "CreativeWork", "@id": s.value, "name": app_state.labels.get(s.value)})
                     for s in sources],
        "usageInfo": _compact({"@type": "CreativeWork", "text": app_state.disclaimer}),
    })
    return _compact({
        "@context": CONTEXT,
        "@type": _one_or_list(types),
        "@id": page.iri,
        "name": page.label,
        "alternateName": page.alt_labels,
        "description": " ".join(quotes),
        "url": url,
        "sameAs": same_as,
        "subjectOf": web_page,
    })
