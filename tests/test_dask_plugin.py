"""The Dask worker plugin's warm render processes: a learner rendered as the local pool does,
and a warm process that dies takes only its own learner with it and is replaced."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from cpc306_portfolio.cohort.warm_server import WarmServer
from cpc306_portfolio.cohort.worker import LearnerResult, LearnerTask

from .conftest import SAMPLE

pytestmark = pytest.mark.kernel  # warm processes import and warm up the whole render


def _task(tmp_path: Path, key: str) -> LearnerTask:
    folder = tmp_path / key
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("exports", ".cpc306.lock"))
    return LearnerTask(
        key=key,
        portfolio=str(folder),
        html=str(tmp_path / f"{key}.html"),
        socket_dir=str(tmp_path),
        time_limit=240,
    )


def test_a_warm_process_renders_learners_one_after_another(tmp_path: Path):
    server = WarmServer()
    try:
        first = LearnerResult.from_dict(server.run(_task(tmp_path, "amy")))
        second = LearnerResult.from_dict(server.run(_task(tmp_path, "ben")))
    finally:
        server.close()
    assert (first.outcome, second.outcome) == ("rendered", "rendered"), (first, second)
    assert (tmp_path / "ben.html").stat().st_size > 10_000
    assert server.process.returncode == 0  # its input closed, it ended on its own


def test_a_dead_warm_process_loses_only_its_learner_and_is_replaced(tmp_path: Path):
    pytest.importorskip("distributed")
    from cpc306_portfolio.cohort.dask_plugin import WarmRenderers

    plugin = WarmRenderers()
    plugin.setup(SimpleNamespace(state=SimpleNamespace(nthreads=1)))
    try:
        (dying,) = plugin._all
        dying.process.kill()
        lost = plugin.render(_task(tmp_path, "amy"))
        assert lost.outcome == "failed" and lost.kind == "worker_lost"
        assert "run the batch again" in lost.fix
        (replacement,) = plugin._all
        assert replacement is not dying
        rendered = plugin.render(_task(tmp_path, "ben"))
        assert rendered.outcome == "rendered", rendered.reason
    finally:
        plugin.teardown(None)
    assert plugin._all == []


def _warm_servers() -> list[int]:
    import psutil

    return [
        p.pid
        for p in psutil.process_iter(["cmdline"])
        if "cpc306_portfolio.cohort.warm_server" in " ".join(p.info["cmdline"] or [])
    ]


def test_a_worker_killed_while_rendering_loses_no_learner_and_leaves_no_process(tmp_path):
    distributed = pytest.importorskip("distributed")
    from cpc306_portfolio.cohort.batch import run_batch

    from .cohorts import add_learner
    from .test_batch import _KillOneWorker

    cohort = tmp_path / "cohort"
    for i in range(8):
        add_learner(cohort, f"l{i:02d}", name=f"Learner {i}", drop=i % 10)
    before = set(_warm_servers())
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        progress = _KillOneWorker(cluster)
        report = run_batch(
            cohort,
            tmp_path / "out",
            scheduler=cluster.scheduler_address,
            progress=progress,
            force=True,
        )
    assert sorted(r.key for r in report.rendered) == [f"l{i:02d}" for i in range(8)]
    assert not report.failed, [r.reason for r in report.failed]
    assert [e["event"] for e in report.events] == ["worker_lost"]
    deadline = time.monotonic() + 30
    while set(_warm_servers()) - before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert set(_warm_servers()) - before == set()  # none left running, not even the killed one's


def test_a_dask_worker_handing_learners_on_imports_no_portfolio_or_kernel_code():
    # What a worker unpickles and runs for a rendering learner: the plugin, the task, the
    # result. The portfolio, the unit and the render load in its warm processes only.
    import subprocess
    import sys

    pytest.importorskip("distributed")
    probe = (
        "import sys, pickle; import cpc306_portfolio.cohort.dask_plugin as p; "
        "from cpc306_portfolio.cohort.learner import LearnerTask; "
        "pickle.loads(pickle.dumps(LearnerTask('k', '/p', '/h', '/s'))); "
        "p.discard_loaded_kernels(); "
        "print(sorted(m for m in sys.modules if m.startswith('cpc306_portfolio.')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip()
    assert "cpc306_portfolio.cohort.learner" in loaded
    for heavy in ("portfolio.store", "execute.kernels", "render", "standard", "cohort.worker"):
        assert f"cpc306_portfolio.{heavy}'" not in loaded, loaded
