"""The real benchmarks at a tiny scale, so they cannot rot. Correctness only: speed is measured by `make bench`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.benchmarks import load_all
from bench.benchmarks.verloop_machtigingen import VerloopMachtigingen
from bench.registry import REGISTRY
from bench.runner import run_benchmark
from machtigingen.models import Machtiging

load_all()
ROOT = Path(__file__).resolve().parents[2]
SMOKE_ROWS = 200


@pytest.fixture
def stub_verloop(monkeypatch):
    """Install a stand-in for machtigingen.services.verloop_machtigingen, for this test only."""
    import machtigingen

    def install(func):
        fake = type(sys)("machtigingen.services")
        fake.verloop_machtigingen = func
        monkeypatch.setitem(sys.modules, "machtigingen.services", fake)
        monkeypatch.setattr(machtigingen, "services", fake, raising=False)

    return install


def smoke(cls):
    return run_benchmark(cls, runs=1, scale=SMOKE_ROWS / cls.default_rows)


@pytest.mark.parametrize("name", REGISTRY.names())
def test_benchmark_runs_at_tiny_scale(transactional_db, name):
    cls = REGISTRY.get(name)
    reason = cls(rows=1).skip_reason()
    if reason:
        pytest.skip(reason)

    result = smoke(cls)

    assert result.ok, result.error
    assert result.rows == SMOKE_ROWS and result.runs == 1
    assert result.ratio is not None
    # A benchmark measuring another process (register_api: gunicorn) has no memory peak of its own to report.
    assert (result.peak_bytes is not None) == cls.measure_memory


def test_verloop_benchmark_catches_a_job_that_flips_the_wrong_rows(transactional_db, stub_verloop):
    """The benchmark checks the job's result: a job that skips the boundary day must fail, not look fast."""

    def te_zuinig(*, op=None):
        return Machtiging.objects.filter(status="actief", eindigt_op__lt=op).update(status="verlopen")

    stub_verloop(te_zuinig)

    result = smoke(VerloopMachtigingen)

    assert not result.ok
    assert "job reported" in result.error or "statuses" in result.error


def test_verloop_benchmark_data_has_due_rows_and_resets_between_runs(transactional_db, stub_verloop):
    def precies(*, op=None):
        return Machtiging.objects.filter(status="actief", eindigt_op__lte=op).update(status="verlopen")

    stub_verloop(precies)
    bench = VerloopMachtigingen(rows=2_000)
    bench.prepare()
    before = sorted(Machtiging.objects.values_list("id", "status"))

    assert Machtiging.objects.count() == 2_000
    assert 0.2 < bench.expected / 2_000 < 0.4  # about 30% is due
    for side in (bench.run, bench.baseline):
        bench.setup()
        assert side() == bench.expected
        bench.check(bench.expected, baseline=side == bench.baseline)
        bench.teardown()
        assert sorted(Machtiging.objects.values_list("id", "status")) == before


def test_make_bench_uses_its_own_database_never_the_configured_one(tmp_path):
    dev_db = tmp_path / "dev.sqlite3"
    output = tmp_path / "RESULTS.md"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{dev_db}",
    }

    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", "0.0002", "--runs", "1", "--no-memory", "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert proc.returncode == 0, proc.stderr
    assert not dev_db.exists()
    table = output.read_text()
    assert "| verloop_machtigingen | 200 |" in table
    assert table.strip() in proc.stdout
