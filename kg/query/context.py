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
    walk = Walk()
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


class Walk:
    """The walk through the triple patterns of a text, token by token (see the module's docstring)."""

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
        self.opened: list[Token] = []  # the { of each group not closed yet
        self.after_semicolon = False
        #: The first pattern that misses a term: (the token found instead, what was expected).
        self.missing: tuple[Token, str] | None = None

    def step(self, token: Token) -> None:
        if token.text in (".", ";", ",", "}") and not self.skip_parens and not self.skip_values:
            self._check_complete(token)
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
            self.opened.append(token)
            self._start()
        elif token.is_punct("}"):
            self.depth = max(0, self.depth - 1)
            if self.opened:
                self.opened.pop()
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
            self.after_semicolon = True
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
        self.after_semicolon = False

    def _check_complete(self, token: Token) -> None:
        """Note a triple pattern cut short by ``token`` (a predicate without object, a subject alone)."""
        if self.missing is not None or self.depth == 0:
            return
        if self.position == "object" and self.predicate is not None:
            what = "a class (an IRI or a variable)" if is_type(self.predicate) else \
                "an object (an IRI, a literal, a variable or a blank node)"
            self.missing = (token, f"{what} after {self.predicate}")
        elif self.position == "predicate" and self.subject is not None and not self.after_semicolon \
                and not self.subject.startswith("["):
            self.missing = (token, f"a predicate (an IRI, a or a variable) after {self.subject}")

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
