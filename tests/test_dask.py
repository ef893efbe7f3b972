"""The Dask engine on a local cluster of two single-threaded worker processes: the same
shard function, the same output bytes as an in-process run."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from relextract import parallel
from relextract.cli import app
from relextract.extract import run
from scale_corpus import BLANK, article, make_corpus, manifest, outputs

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as c:
        yield c


def test_dask_engine_same_output(
    tmp_path: Path, cluster: Any, no_model_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "code_fingerprint", lambda: "test")  # rules edited meanwhile
    d = make_corpus(tmp_path, n_txt=8, n_lines=5)
    local = tmp_path / "local"
    run([d], local, models=BLANK, workers=1, shard_docs=3)
    out = tmp_path / "dask"
    summary = run([d], out, models=BLANK, engine="dask", scheduler=cluster.scheduler_address,
                  workers=2, shard_docs=3)  # fmt: skip
    assert summary.engine == "dask" and summary.shards > 2
    assert outputs(out) == outputs(local)
    assert manifest(out) == manifest(local)
    ex = json.loads((out / "manifest.json").read_text())["execution"]
    assert ex["engine"] == "dask" and ex["dask_workers"] == 2
    # resume on the cluster: only the new document is processed
    (d / "late.txt").write_text(article(5), encoding="utf-8")
    summary = run([d], out, models=BLANK, engine="dask", scheduler=cluster.scheduler_address,
                  resume=True, shard_docs=3)  # fmt: skip
    assert summary.processed_documents == 1 and summary.reused_documents == 12


def test_cli_dask_engine_with_its_own_local_cluster(tmp_path: Path, no_model_env: None) -> None:
    d = make_corpus(tmp_path, n_txt=4, n_lines=0)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        ["run", str(d), "-o", str(out), "-m", "it=blank", "-m", "en=blank", "--engine", "dask",
         "-j", "2", "--shard-size", "2", "-q"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    m = json.loads((out / "manifest.json").read_text())
    assert m["execution"]["engine"] == "dask" and m["execution"]["scheduler"] == "LocalCluster"
    assert m["counts"]["documents"] == 4
