"""A parser's syntax error said in words a person understands, at the place a person would look.

Oxigraph's parser reports the farthest place it reached and every token it could have taken there
("expected one of FILTER, SELECT, VALUES, [_]" for a missing object). When the query's triple
patterns show what is missing (:mod:`.context` walks them), the message says that, at the token that
cut the pattern short; when the text ends inside a group, it says which ``{`` is not closed. Other
errors keep the parser's words. The message keeps the form ``error at LINE:COLUMN: …``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .context import Walk
from .lexer import tokens

_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)


class SyntaxProblem(NamedTuple):
    line: int  # from 1
    column: int  # from 1, in characters
    message: str  # "error at LINE:COLUMN: …"


def position(text: str, offset: int) -> tuple[int, int]:
    """(line, column), both from 1, of the character at ``offset``."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def explain(sparql: str, message: str) -> SyntaxProblem | None:
    """The parser's ``message`` about ``sparql`` said plainly; None when it gives no position."""
    found = _AT.match(message)
    if found is None:
        return None
    line, column, said = int(found.group(1)), int(found.group(2)), found.group(3)
    walk = Walk()
    for token in tokens(sparql):
        walk.step(token)
    if walk.missing is not None:
        token, expected = walk.missing
        line, column = position(sparql, token.start)
        said = f"expected {expected}, found {token.text}"
    elif walk.opened and not sparql[_offset(sparql, line, column):].strip():
        opened_line, opened_column = position(sparql, walk.opened[-1].start)
        said = (f"the query ends before the {{ at {opened_line}:{opened_column} is closed: expected a triple "
                "pattern, a FILTER, OPTIONAL or the closing }")
    return SyntaxProblem(line, column, f"error at {line}:{column}: {said}")


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(part) + 1 for part in lines[:line - 1]) + column - 1
