"""Where in a query the cursor is, read from the text before it: what completion should offer.

No parser: the tokens of :mod:`.lexer` are walked through the triple patterns (subject, predicate,
object; ``;`` and ``,``; ``[ … ]``), skipping expressions in parentheses (``FILTER``, ``BIND``) and
``VALUES`` blocks, so a half-typed query (the usual case while typing) still has a place. Along the
way each subject's classes (``?x a tw:Cause``) are noted, so the properties offered after
``?x a tw:Cause ;`` can be those used with causes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexer import Token, tokens

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TERM_KINDS = frozenset({"var", "pname", "iri", "string", "number"})
#: Words that stand for a term in a pattern (``a`` is handled as the predicate rdf:type).
TERM_WORDS = frozenset({"TRUE", "FALSE", "UNDEF"})


@dataclass
class Place:
    """``kind``: "prefix" (outside any group: the prologue, SELECT), "subject", "predicate", "object",
    or "class" (the object of ``a`` / ``rdf:type``). ``subject_classes``: the classes (as written:
    prefixed names or IRIs) the current subject is declared to have earlier in the query."""

    kind: str
    subject: str | None = None
    subject_classes: list[str] = field(default_factory=list)


def is_type(text: str) -> bool:
    return text == "a" or text == "rdf:type" or text == f"<{RDF_TYPE}>"


def place(before: str) -> Place:
    """Where a term typed right after ``before`` would go."""
    walk = _Walk()
    for token in tokens(before):
        walk.step(token)
    if walk.depth == 0:
        return Place("prefix")
    kind = walk.position
    if kind == "object" and walk.predicate is not None and is_type(walk.predicate):
        kind = "class"
    elif kind == "done":
        kind = "subject"
    subject = walk.subject
    classes = sorted(walk.types.get(subject, ())) if subject else []
    return Place(kind, subject, classes)


class _Walk:
    def __init__(self) -> None:
        self.depth = 0  # of { }
        self.position = "subject"  # subject, predicate, object, done (a triple's object read)
        self.subject: str | None = None
        self.predicate: str | None = None
        self.types: dict[str, set[str]] = {}
        self.nested: list[tuple[str | None, str | None, str]] = []  # [ … ]: the enclosing triple
        self.skip_parens = 0  # inside ( … ) of an expression
        self.skip_values = False  # after VALUES: until its block closes
        self.skip_next = False  # the graph name after GRAPH
        self.blank = 0

    def step(self, token: Token) -> None:
        if self.skip_parens:
            if token.is_punct("("):
                self.skip_parens += 1
            elif token.is_punct(")"):
                self.skip_parens -= 1
            return
        if self.skip_values:
            if token.is_punct("}"):
                self.skip_values = False
            return
        if token.is_punct("{"):
            self.depth += 1
            self._start()
        elif token.is_punct("}"):
            self.depth = max(0, self.depth - 1)
            self._start()
        elif token.is_punct("("):
            self.skip_parens = 1
        elif token.is_word("VALUES"):
            self.skip_values = True
        elif token.is_word("GRAPH", "SERVICE"):
            self.skip_next = True
        elif self.skip_next:
            self.skip_next = token.is_word("SILENT")
        elif token.text == ".":
            self._start()
        elif token.text == ";":
            self.position, self.predicate = "predicate", None
        elif token.text == ",":
            self.position = "object"
        elif token.is_punct("["):
            self.nested.append((self.subject, self.predicate, self.position))
            self.blank += 1
            self.subject, self.predicate, self.position = f"[{self.blank}]", None, "predicate"
        elif token.is_punct("]"):
            if self.nested:
                self.subject, self.predicate, position = self.nested.pop()
                self._term_read(position)
        elif token.kind == "operator" and self.position == "object" and token.text in ("/", "|"):
            self.position = "predicate"  # a property path goes on: the predicate is still being written
        elif token.kind == "operator" and self.position == "predicate" and token.text in "^!":
            pass
        elif token.kind in TERM_KINDS or token.is_word(*TERM_WORDS) or token.text == "a":
            self._term(token.text)

    def _start(self) -> None:
        self.position, self.subject, self.predicate = "subject", None, None

    def _term(self, text: str) -> None:
        if self.position == "subject":
            self.subject = text
        elif self.position == "predicate":
            self.predicate = text
        elif self.position == "object" and self.subject and self.predicate and is_type(self.predicate):
            self.types.setdefault(self.subject, set()).add(text)
        self._term_read(self.position)

    def _term_read(self, position: str) -> None:
        self.position = {"subject": "predicate", "predicate": "object", "object": "done"}.get(position, "done")
