"""The answer as plain text for the command line; the wording is in ``answer.txt``, the words are the graph's."""

from __future__ import annotations

import textwrap
from functools import lru_cache

import jinja2

from ..resources import path
from .model import Answer


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(path("kg.checker")),
        autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["wrap"] = lambda text, indent=0, hanging=None: textwrap.fill(
        text, width=100, initial_indent=" " * indent, subsequent_indent=" " * (indent if hanging is None else hanging))
    env.filters["names"] = lambda items: ", ".join(i.label for i in items)
    return env.get_template("answer.txt")


def render(answer: Answer) -> str:
    return _template().render(answer=answer)
