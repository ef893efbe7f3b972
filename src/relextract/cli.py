"""``relextract`` command line: a thin layer that validates arguments and calls plain functions.

Exit codes: 0 success, 1 configuration or fatal error (one line on stderr), 2 usage error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, NoReturn

import click
import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .pipelines import LANGUAGES, RelextractError

app = typer.Typer(
    name="relextract",
    help="Entities and relation triples from Italian and English news articles.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="Check the bundled rule files.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def _fail(message: str) -> NoReturn:
    err.print(f"[bold red]error[/]: {message}", soft_wrap=True, markup=True)
    raise typer.Exit(1)


def _lang_option(value: str | None) -> str | None:
    if value is not None and value not in LANGUAGES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(LANGUAGES)}")
    return value


def parse_models(values: list[str] | None) -> dict[str, str]:
    """``["it=it_core_news_lg", "en=models/en"]`` -> ``{"it": ..., "en": ...}``."""
    models: dict[str, str] = {}
    for v in values or []:
        lang, sep, name = v.partition("=")
        lang, name = lang.strip(), name.strip()
        if not sep or not name:
            raise typer.BadParameter(f"{v!r}: expected LANG=NAME_OR_PATH, e.g. it=it_core_news_lg")
        if lang not in LANGUAGES:
            raise typer.BadParameter(f"{v!r}: language must be one of {', '.join(LANGUAGES)}")
        models[lang] = name
    return models


def parse_formats(value: str) -> list[str]:
    from .writers import FORMATS

    items = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in items if f not in FORMATS]
    if bad or not items:
        raise typer.BadParameter(f"{value!r}: use one or more of {','.join(FORMATS)}")
    return items


ModelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        "-m",
        metavar="LANG=NAME",
        help="spaCy pipeline for a language: a folder, an installed package "
        "(it_core_news_lg) or 'blank'. Repeatable. Default: $RELEXTRACT_MODEL_IT/_EN, "
        "else the bundled models/it, models/en.",
    ),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang", "-l", callback=_lang_option, help="Force one language (it|en) for all text."
    ),
]


@app.command("run")
def run_cmd(
    ctx: typer.Context,
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders of articles (.txt, .html, .jsonl, ...). With --resume and "
            "no -o, a single OUT_DIR: resume that run with its inputs and options.",
            exists=True,
            show_default=False,
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--output", "-o", help="Output folder.", file_okay=False)
    ] = Path("data/out"),
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Overwrite relextract's files in OUT_DIR.")
    ] = False,
    lang: LangOpt = None,
    model: ModelOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", help="Output formats, comma-separated: jsonl,csv,parquet.")
    ] = "jsonl,csv",
    open_relations: Annotated[
        bool, typer.Option("--open-relations", help="Also emit relation 'other'.")
    ] = False,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop weaker triples.")
    ] = 0.0,
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", min=1, help="Skip input files larger than this.")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-j",
            min=1,
            help="Worker processes (default: one per core; 1: no subprocess). With "
            "--engine dask and no --scheduler: the local cluster's workers.",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="Where shards run: local (processes) or dask.")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", metavar="ADDRESS", help="Dask scheduler (tcp://host:8786)."),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Keep what OUT_DIR already has (same inputs, models and options): process "
            "only new, changed or unfinished documents; drop deleted files' records.",
        ),
    ] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, hidden=True)] = 32,
    shard_size: Annotated[
        int | None, typer.Option("--shard-size", min=1, hidden=True, help="Documents a shard.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = (
        False
    ),
) -> None:
    """Extract entities and triples from INPUT... into OUT_DIR (triples.*, entities.*,
    manifest.json)."""
    from .extract import resolve_state, run
    from .parallel import ENGINES, WorkDir

    if engine not in ENGINES:
        raise typer.BadParameter(
            f"{engine!r}: use one of {', '.join(ENGINES)}", param_hint="--engine"
        )
    if scheduler and engine != "dask":
        raise typer.BadParameter("needs --engine dask", param_hint="--scheduler")
    given = {
        name
        for name in ("lang", "model", "fmt", "open_relations", "min_confidence", "max_bytes",
                     "batch_size", "out_dir")
        if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
    }  # fmt: skip
    models = parse_models(model)
    formats = parse_formats(fmt)
    options: dict[str, Any] = {
        "lang": lang,
        "models": models,
        "formats": formats,
        "open_relations": open_relations,
        "min_confidence": min_confidence,
        "max_bytes": max_bytes,
        "batch_size": batch_size,
    }
    paths: list[Path] | list[str] = list(inputs or [])
    state = None
    if resume and "out_dir" not in given and len(paths) == 1 and Path(paths[0]).is_dir():
        state = WorkDir(Path(paths[0])).read_state()
    if state is not None:  # run --resume OUT: the inputs and options that run was started with
        out_dir = Path(paths[0])
        paths, saved = resolve_state(state)
        param_of = {"models": "model", "formats": "fmt"}
        for name, value in saved.items():
            if name in options and param_of.get(name, name) not in given:
                options[name] = value
    if not paths:
        raise typer.BadParameter("give at least one file or folder", param_hint="INPUT...")
    progress = None if quiet else _RunProgress()
    try:
        summary = run(
            paths,
            out_dir,
            force=force,
            workers=workers,
            engine=engine,
            scheduler=scheduler,
            resume=resume,
            shard_docs=shard_size,
            on_progress=progress.update if progress else None,
            on_start=progress.start if progress else None,
            **options,
        )
    except RelextractError as exc:
        if progress is not None:
            progress.stop(finished=False)
        _fail(str(exc))
    except KeyboardInterrupt:
        if progress is not None:
            progress.stop(finished=False)
        err.print(
            "interrupted: no output was written (finished shards are kept: run again with "
            "--resume to go on from there)"
        )
        raise typer.Exit(130) from None
    except Exception as exc:  # a one-line reason, not a traceback (RELEXTRACT_DEBUG=1 for it)
        if progress is not None:
            progress.stop(finished=False)
        if os.environ.get("RELEXTRACT_DEBUG"):
            raise
        _fail(f"{type(exc).__name__}: {exc} (set RELEXTRACT_DEBUG=1 for the traceback)")
    if progress is not None:
        progress.stop()
    if quiet:
        if summary.skipped:
            err.print(f"warning: {len(summary.skipped)} input(s) skipped (see manifest.json)")
        return
    for w in summary.warnings:
        err.print(f"[yellow]warning[/]: {w}", soft_wrap=True)
    _print_summary(summary)


class _RunProgress:
    """A rich progress bar on stderr: input bytes done, documents, words/s, ETA (fed by the
    workers' progress reports)."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[docs]} docs"),
            TextColumn("{task.fields[wps]} words/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
            transient=False,
        )
        self.task = self.progress.add_task("extracting", total=None, docs=0, wps="-", start=False)
        self.started = False
        self.docs = 0
        self.words = 0
        self.t0 = 0.0

    def stop(self, finished: bool = True) -> None:
        if not self.started:
            return
        total = self.progress.tasks[0].total
        if finished and total is not None and self.docs:
            self.progress.update(self.task, completed=total)
        self.progress.stop()

    def start(self, total_bytes: int) -> None:
        """Work planned (models loaded when in-process): show the bar from now on."""
        import time

        self.t0 = time.perf_counter()
        self.progress.update(self.task, total=total_bytes or None)
        self.progress.start()
        self.started = True
        self.progress.start_task(self.task)

    def update(self, event: Any) -> None:
        import time

        for source, reason in event.skipped:
            self.progress.console.print(
                f"[yellow]warning[/]: skipped {source}: {reason}", soft_wrap=True
            )
        self.docs += event.docs
        if not event.reused:
            self.words += event.words
        elapsed = time.perf_counter() - self.t0
        wps = f"{self.words / elapsed:,.0f}" if elapsed > 0 and self.words else "-"
        self.progress.update(self.task, advance=event.bytes, docs=self.docs, wps=wps)


def _print_summary(summary: Any) -> None:
    table = Table(title="relextract run", show_header=False, title_justify="left")
    table.add_column("", style="bold")
    table.add_column("")
    table.add_row("documents", f"{summary.documents:,}")
    langs = "; ".join(
        f"{lg} {c.get('words', 0):,} words" if not c.get("skipped_segments")
        else f"{lg} skipped ({c.get('chars', 0):,} chars)"
        for lg, c in summary.languages.items()
    )  # fmt: skip
    table.add_row("languages", langs or "-")
    table.add_row("words", f"{summary.words:,} ({summary.words_per_second:,.0f}/s)")
    table.add_row("entities", f"{summary.entities:,}")
    table.add_row("triples", f"{summary.triples:,}")
    table.add_row("skipped", f"{len(summary.skipped):,}")
    table.add_row("output", f"{summary.out_dir}/ " + ", ".join(summary.files))
    out.print(table)


@app.command("info")
def info_cmd(
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Show the resolved spaCy pipelines (versions, components, accuracy) and rule sets."""
    import spacy

    from .pipelines import pipeline_info
    from .resources import list_resources

    models = parse_models(model)
    infos = [pipeline_info(lg, models.get(lg)) for lg in LANGUAGES]
    rule_files = {
        kind: list_resources(kind, (".yml", ".yaml", ".tsv"))
        for kind in ("patterns", "lexicons", "kb")
    }
    if as_json:
        data = {
            "relextract_version": __version__,
            "spacy_version": spacy.__version__,
            "languages": list(LANGUAGES),
            "models": infos,
            "resources": rule_files,
        }
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    out.print(
        f"relextract {__version__} (spaCy {spacy.__version__}); languages: {', '.join(LANGUAGES)}"
    )
    for info in infos:  # one two-column table per language: readable in 80 columns
        table = Table(title=f"pipeline: {info['lang']}", title_justify="left", show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        if "error" in info:
            table.add_row("pipeline", "[red]missing[/]")
            table.add_row("error", info["error"])
            out.print(table)
            continue
        labels = "\n".join(f"{k}: {' '.join(v)}" for k, v in info["labels"].items())
        acc = "  ".join(
            f"{k}={v:.3f}"
            for k, v in info["accuracy"].items()
            if not k.startswith("speed") and not k.endswith("_loss")
        )
        table.add_row("pipeline", str(info["name"]))
        table.add_row("version", str(info["version"] or ""))
        table.add_row(
            "path", str(info["path"] or ("(package)" if info["kind"] == "package" else ""))
        )
        table.add_row("components", " ".join(info["components"]))
        table.add_row("labels", labels)
        table.add_row("accuracy\n(meta.json)", acc or "-")
        if info.get("held_out"):
            table.add_row(
                "held-out\n(meta.json)",
                "\n".join(
                    f"{test}: " + "  ".join(f"{k} {v:.3f}" for k, v in scores.items())
                    for test, scores in info["held_out"].items()
                ),
            )
        out.print(table)
    rules = Table(title="rule sets", title_justify="left")
    rules.add_column("kind")
    rules.add_column("files", overflow="fold")
    for kind, files in rule_files.items():
        rules.add_row(kind, f"{len(files)}: " + " ".join(files) if files else "0")
    out.print(rules)


@app.command("evaluate")
def evaluate_cmd(
    gold: Annotated[
        Path, typer.Argument(help="Gold triples (JSONL).", exists=True, dir_okay=False)
    ],
    pred: Annotated[
        Path,
        typer.Argument(help="Output folder of `relextract run`, or a triples file.", exists=True),
    ],
    lang: LangOpt = None,
    docs: Annotated[
        Path | None,
        typer.Option(
            "--docs", help="File of doc ids to score (one per line).", exists=True, dir_okay=False
        ),
    ] = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="List missed gold triples and wrong predictions.")
    ] = False,
) -> None:
    """Score triples against a gold file (same rules as shared/tools/score_triples.py)."""
    from .evaluate import evaluate

    try:
        ev = evaluate(gold, pred, lang=lang, docs=docs)
    except RelextractError as exc:
        _fail(str(exc))
    table = Table(title=f"evaluation of {pred} against {gold}", title_justify="left")
    for col in ("", "gold req.", "found", "pred.", "correct", "P", "R", "F1"):
        table.add_column(col, justify="left" if not col else "right")

    def row(name: str, s: Any, style: str | None = None) -> None:
        table.add_row(
            name, str(s.required), str(s.found), str(s.predicted), str(s.correct),
            f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", style=style,
        )  # fmt: skip

    row("all", ev, "bold")
    for lg, s in ev.per_lang.items():
        row(f"lang {lg}", s)
    for rel, s in ev.per_relation.items():
        row(rel, s)
    out.print(table)
    if errors:
        for g in ev.missed:
            out.print(
                f"MISSED {g['doc']}: {g['subject'][0]} -{g['relation']}-> {g['object'][0]}"
                f" [{g.get('modality', 'asserted')}] | {g.get('sentence') or g.get('note', '')}",
                markup=False, soft_wrap=True,
            )  # fmt: skip
        for p in ev.wrong:
            out.print(
                f"WRONG  {p.get('doc_id')}: {p.get('subject')} -{p.get('relation')}-> "
                f"{p.get('object')} [{p.get('modality')}] ({p.get('rule')}) | "
                f"{p.get('sentence') or ''}",
                markup=False, soft_wrap=True,
            )  # fmt: skip
    if ev.agreement is not None:
        out.print(ev.agreement.line(), markup=False, soft_wrap=True)
    out.print(ev.line(), markup=False)


@rules_app.command("validate")
def rules_validate_cmd() -> None:
    """Load every rule file and report each problem with its file and line (exit 1 if any)."""
    try:
        from .rules import validate_all
    except ImportError as exc:
        _fail(f"cannot load the rule engine: {exc}")
    problems = validate_all()
    for p in problems:
        line = f":{p.line}" if getattr(p, "line", None) else ""
        out.print(f"{p.file}{line}: {p.message}", markup=False, soft_wrap=True)
    if problems:
        err.print(f"{len(problems)} problem(s)")
        raise typer.Exit(1)
    out.print("rules: no problems found")


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"relextract {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Entities and relation triples from Italian and English news articles."""


def main(argv: list[str] | None = None) -> None:
    """Console entry point (``relextract``; also ``python -m relextract``)."""
    app(args=argv, prog_name="relextract")


if __name__ == "__main__":  # pragma: no cover
    main()
