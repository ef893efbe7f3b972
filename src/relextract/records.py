"""Output records: one :class:`EntityRecord` per entity mention, one :class:`TripleRecord`
per relation triple, with exactly the columns of ``shared/spec/SCHEMA.md`` (in the order of
:data:`relextract.schema.ENTITY_COLUMNS` / :data:`relextract.schema.TRIPLE_COLUMNS`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .schema import ENTITY_COLUMNS, SCHEMA_VERSION, TRIPLE_COLUMNS


@dataclass(frozen=True, kw_only=True, slots=True)
class EntityRecord:
    """One entity mention. ``text == doc_text[start_char:end_char]``."""

    schema_version: int = SCHEMA_VERSION
    doc_id: str
    lang: str
    sent_index: int
    text: str
    label: str
    canonical: str
    kb_id: str | None = None
    country: str | None = None
    start_char: int
    end_char: int

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ENTITY_COLUMNS}


@dataclass(frozen=True, kw_only=True, slots=True)
class TripleRecord:
    """One ``subject -- relation -- object`` triple; ``start_char``/``end_char`` span the
    evidence (trigger to farthest argument) in the document."""

    schema_version: int = SCHEMA_VERSION
    doc_id: str
    lang: str
    sent_index: int
    sentence: str
    subject: str
    relation: str
    object: str
    subject_text: str
    object_text: str
    subject_type: str
    object_type: str
    subject_id: str | None = None
    object_id: str | None = None
    event_type: str | None = None
    trigger: str
    modality: str = "asserted"
    negated: bool = False
    confidence: float
    rule: str = ""
    start_char: int
    end_char: int

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in TRIPLE_COLUMNS}


#: columns that may be null (None in Python / JSON null / empty cell in CSV / NA in pandas)
NULLABLE_COLUMNS = frozenset({"kb_id", "country", "subject_id", "object_id", "event_type"})
INT_COLUMNS = frozenset({"schema_version", "sent_index", "start_char", "end_char"})
BOOL_COLUMNS = frozenset({"negated"})
FLOAT_COLUMNS = frozenset({"confidence"})


def _check_columns() -> None:
    # the dataclasses and the schema constants must never drift apart
    for cls, cols in ((EntityRecord, ENTITY_COLUMNS), (TripleRecord, TRIPLE_COLUMNS)):
        names = {f.name for f in fields(cls)}
        if names != set(cols):
            raise AssertionError(f"{cls.__name__} fields {sorted(names)} != schema {cols}")


_check_columns()
