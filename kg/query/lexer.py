"""The one SPARQL lexer: the tokens of a query text, with no parser.

Comments, strings, IRIs and variables are recognised first, so a word inside a string
(``"service"``) or an IRI is never taken for a keyword. Every check on query text (the guard,
the dataset of ``FROM`` clauses, binding by VALUES, a query's form) reads these tokens.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_TOKEN = re.compile(
    r"""
     (?P<space>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"
               |'(?:[^'\\\n\r]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][\w\u00B7]+)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<pname>(?:[A-Za-z_][\w.-]*)?:(?:[^\s(){}\[\],;'"<>=!|&+*/^@\#\\]|\\.)*)
    |(?P<word>[A-Za-z_]\w*)
    |(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    |(?P<punct>[(){}\[\]])
    |(?P<operator>&&|\|\||!=|<=|>=|\^\^|[+\-*/=!<>&|^])
    |(?P<other>.)
    """,
    re.X | re.S,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_SKIPPED = frozenset({"space", "comment"})
OPENING = "({["
CLOSING = ")}]"


class Token(NamedTuple):
    """One significant piece of query text: ``kind`` is one of the lexer's groups (``word``,
    ``pname``, ``iri``, ``var``, ``string``, ``number``, ``punct``, ``operator``, ``lang``, ``other``);
    ``start`` and ``end`` are its offsets in the text. (A named tuple: a long query has tens of
    thousands of tokens, and a frozen dataclass costs several times more to make.)"""

    kind: str
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        """A bare word that is one of ``words`` (given in upper case), in any case."""
        return self.kind == "word" and self.text.upper() in words

    def is_punct(self, characters: str) -> bool:
        """A bracket among ``characters``."""
        return self.kind == "punct" and self.text in characters


def tokens(text: str) -> tuple[Token, ...]:
    """The significant tokens of ``text`` (no whitespace, no comments), in order."""
    return tuple(Token(match.lastgroup or "other", match.group(), match.start(), match.end())
                 for match in _TOKEN.finditer(text) if match.lastgroup not in _SKIPPED)


def unescape_codepoints(text: str) -> str:
    """Apply SPARQL's ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes, as a parser does before reading."""

    def replace(match: re.Match) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except ValueError:
            return match.group(0)

    return _ESCAPE.sub(replace, text)


def closing(toks: tuple[Token, ...], open_index: int) -> int:
    """The index of the bracket that closes the one at ``open_index`` (any of ``( { [``); -1 if none."""
    depth = 0
    for i in range(open_index, len(toks)):
        if toks[i].is_punct(OPENING):
            depth += 1
        elif toks[i].is_punct(CLOSING):
            depth -= 1
            if depth == 0:
                return i
    return -1


class Shape(NamedTuple):
    """What the guard needs of a text, read in one pass without making tokens: how deep its
    brackets nest, how many operator characters it has, and its bare words (upper case)."""

    depth: int
    operators: int
    words: frozenset[str]


def shape(text: str, operator_characters: frozenset[str]) -> Shape:
    depth = deepest = operators = 0
    words = set()
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "punct":
            if match.group() in OPENING:
                depth += 1
                deepest = max(deepest, depth)
            else:
                depth -= 1
        elif kind == "operator":
            operators += sum(1 for ch in match.group() if ch in operator_characters)
        elif kind == "word":
            words.add(match.group().upper())
    return Shape(deepest, operators, frozenset(words))
