"""Line breaks end sentences: the ``relextract_paragraph_breaks`` component.

relextract reads an article line by line (each non-blank line is a paragraph: a headline, a
sentence, a list item; see :func:`relextract.langid.paragraphs`), but a segment of several
paragraphs goes through spaCy as one text. The statistical parser then decides sentence ends
by itself and, trained on treebanks that hold no line breaks, often runs a headline without a
full stop into the next sentence, or pulls the whitespace token of the break into the next
sentence and parses that one differently ("the PEACE Act" read as a subject). This component,
placed before the parser, makes the first word of every line a sentence start and keeps the
whitespace token of the break in the sentence before; the parser respects preset boundaries.

``min_newlines`` = 2 breaks only at blank lines (for hard-wrapped text, where one line break
is not a paragraph break).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "relextract_paragraph_breaks"


class ParagraphBreaks:
    """Sets ``Token.is_sent_start`` at line starts (see the module docstring)."""

    def __init__(self, name: str = FACTORY, *, min_newlines: int = 1) -> None:
        if min_newlines < 1:
            raise ValueError(
                f"[E301] {name}: min_newlines must be 1 or more, not {min_newlines}"
            )
        self.name = name
        self.min_newlines = min_newlines
        self._break = re.compile(r"[^\S\n]*(?:\n[^\S\n]*){" + str(min_newlines) + ",}")

    def breaks(self, doc: Doc) -> list[tuple[int, int]]:
        """``(first, start)`` per line break: the token index of the break's first whitespace
        token (``start`` when it has none) and of the word after it."""
        text = doc.text
        if "\n" not in text:
            return []
        starts = [t.idx for t in doc]
        out: list[tuple[int, int]] = []
        for m in self._break.finditer(text):
            if m.end() >= len(text) or m.start() == 0:
                continue
            j = bisect_left(starts, m.end())
            if j >= len(doc) or starts[j] != m.end() or j == 0:
                continue  # the break ends inside a token (cannot happen with spaCy's tokenizer)
            first = bisect_left(starts, m.start())
            out.append((min(first, j), j))
        return out

    def __call__(self, doc: Doc) -> Doc:
        if doc.has_annotation("DEP") or "\n" not in doc.text:
            return doc  # already parsed: its sentences are the parser's
        for first, start in self.breaks(doc):
            for k in range(max(first, 1), start):
                if doc[k].is_space:
                    doc[k].is_sent_start = False
            doc[start].is_sent_start = True
        return doc


@Language.factory(FACTORY, default_config={"min_newlines": 1})
def make_paragraph_breaks(nlp: Language, name: str, min_newlines: int) -> ParagraphBreaks:
    return ParagraphBreaks(name, min_newlines=min_newlines)
