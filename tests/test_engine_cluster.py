"""Scale-out: the same plan built through a Dask cluster (a LocalCluster of 2 worker processes
started here), with incrementality, failure containment and client-side writes intact."""

from __future__ import annotations

import json

import pytest
from fixtures.project import make_project, run_build

pytestmark = pytest.mark.notebooks  # starts kernels: `make test-quick` leaves this module out

distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def built(cluster, tmp_path_factory):
    layout = make_project(tmp_path_factory.mktemp("cluster"))
    code, out, err = run_build(layout, "good-zh", "good-en", "failing", scheduler=cluster)
    return layout, code, out, err


def test_a_small_manifest_builds_through_the_cluster(built):
    layout, code, out, _ = built
    assert code == 1  # `failing` fails, the others are built
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:4]}
    assert rows == {"good-zh": "ran", "good-en": "ran", "failing": "failed"}
    for name in ("good-zh", "good-en"):
        nb = json.loads(layout.ipynb(name).read_text(encoding="utf-8"))
        assert nb["metadata"]["chengguan"]["run"] == name  # written by the client from the worker's result
        assert layout.html(name).is_file()
    assert "ZeroDivisionError" in out and layout.failed("failing").is_file()
    # Written atomically on the client: no temporary file left.
    assert not [p for p in layout.outputs.iterdir() if p.name.endswith(".tmp")]


def test_the_cluster_build_is_incremental(built, cluster):
    layout = built[0]
    code, out, _ = run_build(layout, "good-zh", "good-en", scheduler=cluster)
    assert code == 0
    assert [line.split()[1] for line in out.splitlines()[1:3]] == ["skipped", "skipped"]


def test_an_unreachable_scheduler_is_one_message(tmp_path, monkeypatch):
    monkeypatch.setattr("reportbuild.cluster.CONNECT_TIMEOUT", "3s")  # nobody is there: no need to wait a minute
    layout = make_project(tmp_path)
    code, _, err = run_build(layout, "good-zh", scheduler="tcp://127.0.0.1:9")
    assert code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
