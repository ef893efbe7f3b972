"""One entry point to the data files bundled under ``relextract/resources/``.

Layout::

    resources/kb/*.tsv|yml            knowledge base (states, demonyms, organisations, ...)
    resources/patterns/<lang>/*.yml   dependency patterns (DependencyMatcher format)
    resources/lexicons/<lang>/*.yml   trigger lexicons, titles, cue words
    resources/SOURCES.md              where each file comes from, with its licence

Modules that need a file call :func:`load_yaml` / :func:`load_tsv` with a path relative to
that folder, so files are parsed once per process (cached).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources as _ir
from pathlib import Path
from typing import Any

import yaml

#: libyaml's safe loader when PyYAML has it (7x faster; same results), else the Python one
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

RESOURCE_ROOT = Path(str(_ir.files("relextract") / "resources"))


class ResourceError(ValueError):
    """A bundled data file is missing or malformed (message names file and line)."""


def resource_path(*parts: str) -> Path:
    return RESOURCE_ROOT.joinpath(*parts)


@cache
def load_yaml(relpath: str) -> Any:
    path = resource_path(relpath)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_YAML_LOADER)
    except FileNotFoundError as exc:
        raise ResourceError(f"[E101] resource file {path} not found; reinstall relextract") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ResourceError(f"[E102] {path}{line}: invalid YAML: {exc}") from exc


@cache
def load_tsv(relpath: str) -> tuple[dict[str, str], ...]:
    """Rows of a tab-separated file with a header line, as dicts (empty cells -> "")."""
    path = resource_path(relpath)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"))
    except FileNotFoundError as exc:
        raise ResourceError(f"[E101] resource file {path} not found; reinstall relextract") from exc
    return tuple({k: (v or "") for k, v in row.items()} for row in rows)


def list_resources(subdir: str, suffixes: tuple[str, ...] = (".yml", ".yaml", ".tsv")) -> list[str]:
    """Paths (relative to the resource root) of the files under ``subdir``, sorted."""
    base = resource_path(subdir)
    if not base.exists():
        return []
    return sorted(
        str(p.relative_to(RESOURCE_ROOT)) for p in base.rglob("*") if p.suffix in suffixes
    )
