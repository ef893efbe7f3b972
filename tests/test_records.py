from __future__ import annotations

from dataclasses import fields

from relextract.records import EntityRecord, TripleRecord
from relextract.schema import ENTITY_COLUMNS, SCHEMA_VERSION, TRIPLE_COLUMNS


def test_columns_follow_the_schema_order() -> None:
    assert tuple(f.name for f in fields(EntityRecord)) == ENTITY_COLUMNS
    assert tuple(f.name for f in fields(TripleRecord)) == TRIPLE_COLUMNS


def test_to_dict_has_exactly_the_schema_columns() -> None:
    e = EntityRecord(
        doc_id="a.txt", lang="it", sent_index=0, text="Roma", label="LOC", canonical="Rome",
        start_char=3, end_char=7,
    )  # fmt: skip
    d = e.to_dict()
    assert tuple(d) == ENTITY_COLUMNS
    assert d["schema_version"] == SCHEMA_VERSION
    assert d["kb_id"] is None and d["country"] is None
    t = TripleRecord(
        doc_id="a.txt", lang="en", sent_index=2, sentence="A met B.", subject="A",
        relation="met", object="B", subject_text="A", object_text="B", subject_type="PERSON",
        object_type="PERSON", trigger="met", confidence=0.5, start_char=0, end_char=7,
    )  # fmt: skip
    d = t.to_dict()
    assert tuple(d) == TRIPLE_COLUMNS
    assert d["negated"] is False and d["modality"] == "asserted" and d["event_type"] is None
