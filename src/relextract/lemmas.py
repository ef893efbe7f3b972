"""spacy-lookups-data's lemma lookup tables, read once per language (no spaCy ``Lookups``).

The relation layer falls back on them when the pipeline's lemma is unknown to its rules
("expelled" lemmatised "expell" -> "expel"); the entity layer asks whether a capitalised word
is a common word of the language.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=4)
def lookup_table(lang: str) -> dict[str, Any] | None:
    """``<lang>_lemma_lookup`` as a plain dict (read straight from its file: five times faster
    than building a ``spacy.lookups.Table``); None without spacy-lookups-data or the table."""
    try:
        import spacy_lookups_data
        import srsly

        path = Path(spacy_lookups_data.__file__).parent / "data" / f"{lang}_lemma_lookup.json.gz"
        if path.is_file():
            return dict(srsly.read_gzip_json(path))
        from spacy.lookups import load_lookups

        table = load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")
        return {str(k): v for k, v in table.items()}
    except Exception:  # spacy-lookups-data missing or without this language
        return None


def lookup_lemma(lang: str, text: str) -> str | None:
    """The table's lemma of ``text`` (as written, else lower-cased); None if unknown."""
    table = lookup_table(lang)
    if table is None:
        return None
    got = table.get(text) or table.get(text.lower())
    return str(got) if got else None


@lru_cache(maxsize=4)
def common_words(lang: str) -> frozenset[str]:
    """Every form and lemma of the table (lower case): the language's common words."""
    table = lookup_table(lang) or {}
    return frozenset(str(w).lower() for pair in table.items() for w in pair)
