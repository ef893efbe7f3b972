"""relextract: entities and relation triples from Italian and English news articles.

Example::

    from relextract import Extractor, read_triples
    result = Extractor().extract("Il presidente Mattarella ha ricevuto il re di Spagna.")
    result.entities, result.triples          # lists of EntityRecord / TripleRecord
    read_triples("data/out").groupby("relation").size()   # after `relextract run`

Importing the package is cheap: spaCy is imported when a pipeline is first needed, pandas
when a table is read.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .extract import Extractor, Result, run
from .records import EntityRecord, TripleRecord
from .writers import read_entities, read_triples

__all__ = [
    "EntityRecord",
    "Extractor",
    "Result",
    "TripleRecord",
    "__version__",
    "read_entities",
    "read_triples",
    "run",
]
