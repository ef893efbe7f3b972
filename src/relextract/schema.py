"""The output contract of ``shared/spec/SCHEMA.md`` (schema version 1) as Python constants.

Every other module takes labels, relation names, PLOVER categories and record columns
from here, so that a change of contract is one change of this file.
"""

from __future__ import annotations

from typing import Final

SCHEMA_VERSION: Final = 1

ENTITY_LABELS: Final = ("PERSON", "STATE", "ORG", "EVENT", "LAW", "LOC", "MISC")

MODALITIES: Final = ("asserted", "reported", "hypothetical", "speculative")

#: relation -> (PLOVER event type or None, symmetric)
RELATIONS: Final[dict[str, tuple[str | None, bool]]] = {
    # acts
    "met": ("CONSULT", True),
    "spoke_with": ("CONSULT", True),
    "visited": ("CONSULT", False),
    "hosted": ("CONSULT", False),
    "invited": ("CONSULT", False),
    "negotiated_with": ("CONSULT", True),
    "mediated": ("CONSULT", False),
    "agreed_with": ("AGREE", True),
    "signed": ("SUPPORT", False),
    "cooperates_with": ("COOPERATE", True),
    "supported": ("SUPPORT", False),
    "praised": ("SUPPORT", False),
    "thanked": ("SUPPORT", False),
    "congratulated": ("SUPPORT", False),
    "apologized_to": ("SUPPORT", False),
    "released": ("RETREAT", False),
    "aided": ("AID", False),
    "demanded": ("REQUEST", False),
    "criticized": ("ACCUSE", False),
    "accused": ("ACCUSE", False),
    "rejected": ("REJECT", False),
    "threatened": ("THREATEN", False),
    "sanctioned": ("SANCTION", False),
    "expelled": ("COERCE", False),
    "arrested": ("COERCE", False),
    "attacked": ("ASSAULT", False),
    "shot_down": ("ASSAULT", False),
    "killed": ("ASSAULT", False),
    "protested": ("PROTEST", False),
    "investigated": ("INVESTIGATE", False),
    "introduced": (None, False),
    "adopted": (None, False),
    "appointed": (None, False),
    "interviewed": (None, False),
    # static relations
    "leader_of": (None, False),
    "head_of": (None, False),
    "member_of": (None, False),
    "works_for": (None, False),
    "citizen_of": (None, False),
    "located_in": (None, False),
}

#: emitted only with ``--open-relations``
OTHER_RELATION: Final = "other"

STATIC_RELATIONS: Final = frozenset(
    {"leader_of", "head_of", "member_of", "works_for", "citizen_of", "located_in"}
)
SYMMETRIC_RELATIONS: Final = frozenset(r for r, (_, sym) in RELATIONS.items() if sym)


def event_type(relation: str) -> str | None:
    """PLOVER category of ``relation`` (None for static relations and ``other``)."""
    return RELATIONS.get(relation, (None, False))[0]


TRIPLE_COLUMNS: Final = (
    "schema_version",
    "doc_id",
    "lang",
    "sent_index",
    "sentence",
    "subject",
    "relation",
    "object",
    "subject_text",
    "object_text",
    "subject_type",
    "object_type",
    "subject_id",
    "object_id",
    "event_type",
    "trigger",
    "modality",
    "negated",
    "confidence",
    "rule",
    "start_char",
    "end_char",
)

ENTITY_COLUMNS: Final = (
    "schema_version",
    "doc_id",
    "lang",
    "sent_index",
    "text",
    "label",
    "canonical",
    "kb_id",
    "country",
    "start_char",
    "end_char",
)
