"""The article view's unit of coverage: the sentence, as this module defines it (README, "The article view").

A text is first cut into blocks by the article's structure (a heading, a paragraph, a list item:
``webapp/pages/article.py``). Within a block, a sentence ends after ``.``, ``?``, ``!`` or ``:``
that stands outside parentheses and is followed by whitespace or by the block's end; the rest of a
block after its last such mark is a sentence too. Whitespace at either end of a sentence is not
part of it. So a list item "Label: Statement. (Source: X)" is three sentences, a heading one, and a
list item without a full stop one. Offsets count code points, as the Web Annotation selectors do.
"""

from __future__ import annotations

from collections.abc import Iterator

#: The marks that end a sentence when whitespace or the block's end follows them.
ENDS = frozenset(".?!:")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The sentences of the block ``text[start:end]``, as (start, end) offsets into ``text``."""
    depth = 0
    begin = start
    for i in range(start, end):
        char = text[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char in ENDS and depth == 0 and (i + 1 == end or text[i + 1].isspace()):
            found = _trimmed(text, begin, i + 1)
            if found:
                yield found
            begin = i + 1
    found = _trimmed(text, begin, end)
    if found:
        yield found
