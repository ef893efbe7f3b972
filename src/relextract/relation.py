"""The relation object that the rule layer attaches to ``doc._.relations``."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span


@dataclass(frozen=True)
class Relation:
    """One triple found in a Doc, before it becomes an output record.

    ``subject`` and ``object`` are entity spans (normally members of ``doc.ents``, carrying
    ``_.canonical``/``_.kb_id``); ``trigger`` is the span of the word(s) expressing the
    relation. ``relation`` is a name of :data:`relextract.schema.RELATIONS` (or ``other``).
    """

    subject: Span
    relation: str
    object: Span
    trigger: Span
    event_type: str | None
    modality: str = "asserted"
    negated: bool = False
    confidence: float = 0.5
    rule: str = ""

    @property
    def start_char(self) -> int:
        """Start of the evidence (trigger to farthest argument), relative to the Doc."""
        return min(self.trigger.start_char, self.subject.start_char, self.object.start_char)

    @property
    def end_char(self) -> int:
        return max(self.trigger.end_char, self.subject.end_char, self.object.end_char)
