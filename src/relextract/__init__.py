"""relextract: entities and relation triples from Italian and English news articles."""

from __future__ import annotations

__version__ = "0.1.0"
