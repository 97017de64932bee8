"""The article view's data twins: ``/article.json`` (the text, its sentences with their offsets, and
the claims anchored to each) and ``/article/annotations.jsonld`` (the claims as a W3C Web Annotation
collection, JSON-LD under the standard context, so annotation tools can load them)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache

from kg.resources import path

from .article import Article, Claim

#: The Web Annotation JSON-LD context: the served documents name it by its standard URL; the
#: project ships a copy (``webapp/static/contexts/anno.jsonld``), used here and by the tests.
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNO_CONTEXT_COPY = path("webapp", "static", "contexts", "anno.jsonld")
#: The media type of a Web Annotation document (Web Annotation Protocol, section 4).
ANNO_MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def _claim_json(claim: Claim, page: Callable[[Claim], str]) -> dict:
    return {
        "iri": claim.iri.value, "id": claim.slug, "page": page(claim),
        "start": claim.start, "end": claim.end, "exact": claim.exact,
        "kinds": [k.value for k in claim.kinds],
        "about": [{"iri": e.iri.value, "role": e.role.value,
                   "calls_for": [{"need": x.need.value, "class": x.type.value, "inferred": x.inferred}
                                 for x in e.escalations]} for e in claim.about],
        "sources": [s.value for s in claim.sources],
    }


def as_json(article: Article, page: Callable[[Claim], str]) -> dict:
    """``/article.json``; ``page(claim)`` is where the claim stands on ``/article``."""
    return {
        "article": article.iri.value,
        "title": article.title,
        "source": article.source,
        "text": article.text,
        "coverage": coverage(article),
        "sentences": [{"start": s.start, "end": s.end, "text": s.text, "covered": s.covered, "claims": list(s.claims)}
                      for s in article.sentences],
        "claims": [_claim_json(c, page) for c in article.claims],
    }


def coverage(article: Article) -> dict:
    """The figures at the top of ``/article``."""
    return {"sentences": len(article.sentences), "sentences_covered": len(article.covered_sentences),
            "characters": len(article.text), "characters_covered": article.covered_characters}


@lru_cache(maxsize=1)
def _terms() -> dict[str, str]:
    """The context's terms for plain IRIs, by IRI (``http://www.w3.org/ns/oa#identifying``: ``identifying``)."""
    context = json.loads(ANNO_CONTEXT_COPY.read_text(encoding="utf-8"))["@context"]
    namespaces = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    found = {}
    for term, value in context.items():
        if isinstance(value, str) and ":" in value and term not in namespaces:
            prefix, _, local = value.partition(":")
            if prefix in namespaces:
                found[namespaces[prefix] + local] = term
    return found


def _selectors(claim: Claim) -> list[dict]:
    quote = {"type": "TextQuoteSelector", "exact": claim.exact}
    quote.update({k: v for k, v in (("prefix", claim.prefix), ("suffix", claim.suffix)) if v})
    return [{"type": "TextPositionSelector", "start": claim.start, "end": claim.end}, quote]


def annotation_collection(article: Article, collection: str) -> dict:
    """The claims as an ``AnnotationCollection`` (one embedded page) whose id is ``collection``."""
    return {
        "@context": ANNO_CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": f"The claims of “{article.title}”, anchored in its text",
        "total": len(article.claims),
        "first": {
            "id": collection + "#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [{
                "id": c.iri.value,
                "type": "Annotation",
                "motivation": [_terms().get(m.value, m.value) for m in c.motivations],
                "body": [e.iri.value for e in c.about],
                "target": {"type": "SpecificResource", "source": article.source, "selector": _selectors(c)},
            } for c in article.claims],
        },
    }
