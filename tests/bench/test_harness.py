"""The benchmark harness itself, with fake benchmarks: medians, ratios, peak memory, the table, the CLI."""

from contextlib import nullcontext

import pytest

from bench.__main__ import main, parse_args
from bench.registry import Benchmark, BenchmarkError, Registry, scaled_rows
from bench.runner import COLUMNS, MIB, Result, markdown, run_benchmark


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def make_fake(registry, clock, *, run_durations, baseline_durations, name="fake", rows=1_000):
    calls = []

    @registry.benchmark(name=name, rows=rows)
    class Fake(Benchmark):
        """A benchmark whose run and baseline take scripted (fake) times."""

        flush_database = False

        def __init__(self, *, rows):
            super().__init__(rows=rows)
            self.run_left = list(run_durations)
            self.baseline_left = list(baseline_durations)
            calls.append(("init", rows))

        def prepare(self):
            calls.append("prepare")

        def setup(self):
            calls.append("setup")

        def run(self):
            calls.append("run")
            clock.now += self.run_left.pop(0)
            return "run-result"

        def baseline(self):
            calls.append("baseline")
            clock.now += self.baseline_left.pop(0)
            return "baseline-result"

        def check(self, result, *, baseline):
            assert result == ("baseline-result" if baseline else "run-result")

        def teardown(self):
            calls.append("teardown")

        def finish(self):
            calls.append("finish")

    return Fake, calls


def table_rows(text):
    """The Markdown table as a list of dicts, keyed by the header."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return header, [
        dict(zip(header, (c.strip() for c in line.strip("|").split("|")), strict=True)) for line in lines[2:]
    ]


def test_scaled_rows_shrinks_and_never_reaches_zero():
    assert scaled_rows(1_000_000, 1) == 1_000_000
    assert scaled_rows(1_000_000, 0.001) == 1_000
    assert scaled_rows(5_000, 0.0001) == 1
    with pytest.raises(ValueError):
        scaled_rows(10, 0)


def test_registry_refuses_duplicate_names_and_non_benchmarks():
    registry = Registry()

    @registry.benchmark(name="een", rows=10)
    class Een(Benchmark):
        pass

    assert registry.get("een") is Een and Een.default_rows == 10 and registry.names() == ["een"]
    with pytest.raises(ValueError):

        @registry.benchmark(name="een", rows=5)
        class Nog(Benchmark):
            pass

    with pytest.raises(TypeError):
        registry.benchmark(name="twee", rows=1)(object)
    with pytest.raises(KeyError):
        registry.get("onbekend")


def test_median_and_ratio_come_from_the_timed_runs():
    clock = FakeClock()
    cls, calls = make_fake(
        Registry(), clock, run_durations=[3.0, 1.0, 2.0, 9.0, 2.5], baseline_durations=[1.0, 0.5, 2.0, 1.0, 1.0]
    )

    result = run_benchmark(cls, runs=5, scale=0.5, clock=clock, measure_memory=False)

    assert result.ok, result.error
    assert result.rows == 500 and result.runs == 5
    assert result.run_seconds == [3.0, 1.0, 2.0, 9.0, 2.5]
    assert result.median == 2.5  # the median ignores the 9-second outlier
    assert result.baseline_median == 1.0
    assert result.ratio == 2.5
    assert result.peak_bytes is None
    # prepared once, every timed call wrapped in setup/teardown, the order alternating, finished once
    assert calls[:2] == [("init", 500), "prepare"]
    assert calls[2:8] == ["setup", "run", "teardown", "setup", "baseline", "teardown"]
    assert calls[8:14] == ["setup", "baseline", "teardown", "setup", "run", "teardown"]
    assert calls.count("prepare") == 1 and calls[-1] == "finish"


def test_peak_memory_is_measured_per_side_outside_the_timed_runs():
    registry = Registry()

    @registry.benchmark(name="geheugen", rows=1)
    class Geheugen(Benchmark):
        flush_database = False

        def run(self):
            return len(bytearray(8 * MIB))

        def baseline(self):
            return len(bytearray(1 * MIB))

    result = run_benchmark(Geheugen, runs=2, scale=1)

    assert result.ok, result.error
    assert 8 * MIB <= result.peak_bytes < 9 * MIB
    assert 1 * MIB <= result.baseline_peak_bytes < 2 * MIB
    assert len(result.run_seconds) == len(result.baseline_seconds) == 2


def test_a_wrong_result_fails_the_benchmark_instead_of_timing_it():
    registry = Registry()
    finished = []

    @registry.benchmark(name="fout", rows=1)
    class Fout(Benchmark):
        flush_database = False

        def run(self):
            return 1

        def baseline(self):
            return 2

        def check(self, result, *, baseline):
            if result != 2:
                raise BenchmarkError("the job flipped 1 row, expected 2")

        def finish(self):
            finished.append(True)

    result = run_benchmark(Fout, runs=3, scale=1)

    assert not result.ok and "expected 2" in result.error
    assert result.runs == 0 and result.ratio is None
    assert finished == [True]
    assert "`fout` FAILED: BenchmarkError: the job flipped 1 row, expected 2" in markdown([result])


def test_a_skipped_benchmark_is_listed_with_its_reason():
    registry = Registry()
    prepared = []

    @registry.benchmark(name="later", rows=100)
    class Later(Benchmark):
        def skip_reason(self):
            return "the importer is not there yet"

        def prepare(self):
            prepared.append(True)

    result = run_benchmark(Later, runs=5, scale=1)

    assert result.skipped == "the importer is not there yet" and result.ok and prepared == []
    header, rows = table_rows(markdown([result]))
    assert rows[0]["benchmark"] == "later" and rows[0]["ratio"] == "–" and rows[0]["runs"] == "0"
    assert "`later` skipped: the importer is not there yet" in markdown([result])


def test_markdown_table_has_the_columns_and_formatted_values():
    result = Result(
        name="export_csv",
        rows=100_000,
        runs=3,
        run_seconds=[0.5, 0.75, 0.25],
        baseline_seconds=[0.2, 0.25, 0.3],
        peak_bytes=int(12.5 * MIB),
        baseline_peak_bytes=2 * MIB,
    )

    header, rows = table_rows(markdown([result], scale=0.5))

    assert header == list(COLUMNS)
    assert header == [
        "benchmark",
        "rows",
        "median seconds",
        "baseline median seconds",
        "ratio",
        "peak memory MiB",
        "baseline peak MiB",
        "runs",
    ]
    assert rows == [
        {
            "benchmark": "export_csv",
            "rows": "100,000",
            "median seconds": "0.5000",
            "baseline median seconds": "0.2500",
            "ratio": "2.00",
            "peak memory MiB": "12.5",
            "baseline peak MiB": "2.0",
            "runs": "3",
        }
    ]


def test_cli_runs_only_the_named_benchmark_scaled_and_writes_the_table(tmp_path, capsys):
    registry = Registry()
    clock_a, clock_b = FakeClock(), FakeClock()
    _, calls_a = make_fake(registry, clock_a, run_durations=[0.0] * 3, baseline_durations=[0.0] * 3, name="a")
    _, calls_b = make_fake(registry, clock_b, run_durations=[], baseline_durations=[], name="b")
    output = tmp_path / "RESULTS.md"

    code = main(
        ["--only", "a", "--runs", "3", "--scale", "0.01", "--no-memory", "--output", str(output)],
        registry=registry,
        database=nullcontext,
    )

    assert code == 0
    assert calls_a[0] == ("init", 10) and calls_a.count("run") == 3 and calls_b == []
    written = output.read_text()
    assert written.strip() in capsys.readouterr().out
    header, rows = table_rows(written)
    assert [(r["benchmark"], r["rows"], r["runs"]) for r in rows] == [("a", "10", "3")]


def test_cli_refuses_unknown_names_and_bad_options(tmp_path):
    assert main(["--only", "nope", "--output", str(tmp_path / "x.md")], registry=Registry(), database=nullcontext) == 2
    assert parse_args([]).runs == 5 and parse_args([]).scale == 1.0
    for bad in (["--runs", "0"], ["--scale", "0"], ["--scale", "-1"]):
        with pytest.raises(SystemExit):
            parse_args(bad)


def test_flush_refuses_a_database_that_is_not_a_test_database(monkeypatch):
    from django.db import connection

    from bench.runner import flush_database

    monkeypatch.setitem(connection.settings_dict, "NAME", "/work/main/db.sqlite3")
    with pytest.raises(RuntimeError, match="test database only"):
        flush_database()
