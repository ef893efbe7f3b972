"""Custom attributes that relextract's spaCy components set.

``Span._.canonical`` / ``Span._.kb_id`` / ``Span._.country`` are set on every span of
``doc.ents`` by the entity layer (``relextract_entities``); ``Doc._.relations`` is the list
of :class:`relextract.relation.Relation` set by the rule layer (``relextract_relations``).
Importing this module registers them; registering twice is harmless.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span


def register() -> None:
    for name in ("canonical", "kb_id", "country"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)


register()
