"""Running benchmarks: the median of several timed runs against the same run's baseline, plus peak memory.

Timing and memory are measured in separate calls: tracemalloc slows Python code several times over but
barely touches SQL executed in C, so tracing during the timed runs would inflate the ratio. After the
`runs` timed calls of `run` and of `baseline`, one more traced call of each gives the tracemalloc peak
(bytes allocated by Python during the call, beyond what was allocated before it).
"""

from __future__ import annotations

import gc
import platform
import resource
import statistics
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.registry import Benchmark, scaled_rows

MIB = 1024 * 1024

COLUMNS = (
    "benchmark",
    "rows",
    "median seconds",
    "baseline median seconds",
    "ratio",
    "peak memory MiB",
    "baseline peak MiB",
    "runs",
)


@dataclass
class Result:
    name: str
    rows: int
    runs: int = 0
    run_seconds: list[float] = field(default_factory=list)
    baseline_seconds: list[float] = field(default_factory=list)
    peak_bytes: int | None = None
    baseline_peak_bytes: int | None = None
    skipped: str | None = None
    error: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        return statistics.median(self.run_seconds) if self.run_seconds else None

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(self.baseline_seconds) if self.baseline_seconds else None

    @property
    def ratio(self) -> float | None:
        median, base = self.median, self.baseline_median
        if median is None or not base:
            return None
        return median / base

    @property
    def ok(self) -> bool:
        return self.error is None


def _maxrss_bytes() -> int:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def _call(bench: Benchmark, which: str, clock: Callable[[], float]) -> float:
    func = bench.run if which == "run" else bench.baseline
    bench.setup()
    try:
        gc.collect()
        start = clock()
        result = func()
        elapsed = clock() - start
        bench.check(result, baseline=which == "baseline")
    finally:
        bench.teardown()
    return bench.measured_seconds(result, elapsed)


def _peak(bench: Benchmark, which: str) -> int:
    func = bench.run if which == "run" else bench.baseline
    bench.setup()
    try:
        gc.collect()
        tracemalloc.start()
        try:
            result = func()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        bench.check(result, baseline=which == "baseline")
    finally:
        bench.teardown()
    return peak


def flush_database() -> None:
    """Empty every table of the test database, keeping the schema; refuses any other database."""
    from django.core.management import call_command
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if not (Path(name).name.startswith(("test_", "bench")) or "memorydb" in name):
        raise RuntimeError(f"refusing to empty {name!r}: benchmarks run on a test database only")
    call_command("flush", interactive=False, verbosity=0)


def run_benchmark(
    cls: type[Benchmark],
    *,
    runs: int,
    scale: float,
    measure_memory: bool = True,
    clock: Callable[[], float] = time.perf_counter,
    log: Callable[[str], None] = lambda message: None,
) -> Result:
    rows = scaled_rows(cls.default_rows, scale)
    result = Result(name=cls.name, rows=rows)
    bench = cls(rows=rows)
    reason = bench.skip_reason()
    if reason:
        result.skipped = reason
        log(f"{cls.name}: skipped ({reason})")
        return result
    try:
        if cls.flush_database:
            flush_database()
        log(f"{cls.name}: preparing {rows:,} rows")
        started = time.perf_counter()
        bench.prepare()
        log(f"{cls.name}: prepared in {time.perf_counter() - started:.1f} s")
        try:
            for i in range(runs):
                # Alternate the order so neither side always runs on a warmer cache.
                order = ("run", "baseline") if i % 2 == 0 else ("baseline", "run")
                for which in order:
                    elapsed = _call(bench, which, clock)
                    (result.run_seconds if which == "run" else result.baseline_seconds).append(elapsed)
                result.runs += 1
                log(
                    f"{cls.name}: run {i + 1}/{runs}: {result.run_seconds[-1]:.3f} s, baseline {result.baseline_seconds[-1]:.3f} s"
                )
            if measure_memory and cls.measure_memory:
                result.peak_bytes = _peak(bench, "run")
                result.baseline_peak_bytes = _peak(bench, "baseline")
            result.extra = bench.extra()
        finally:
            bench.finish()
            if cls.flush_database:
                flush_database()
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"
        log(f"{cls.name}: FAILED\n{traceback.format_exc()}")
    return result


def run_all(
    classes: Iterable[type[Benchmark]],
    *,
    runs: int,
    scale: float,
    measure_memory: bool = True,
    log: Callable[[str], None] = lambda message: None,
) -> list[Result]:
    return [run_benchmark(cls, runs=runs, scale=scale, measure_memory=measure_memory, log=log) for cls in classes]


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def _mib(value: int | None) -> str:
    return "–" if value is None else f"{value / MIB:.1f}"


def markdown(results: list[Result], *, scale: float = 1.0) -> str:
    """The results as a Markdown table, with skipped and failed benchmarks explained below it."""
    lines = [
        "# Benchmark results",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 1)) + "|",
    ]
    notes = []
    for r in results:
        ratio = "–" if r.ratio is None else f"{r.ratio:.2f}"
        cells = [
            r.name,
            f"{r.rows:,}",
            _seconds(r.median),
            _seconds(r.baseline_median),
            ratio,
            _mib(r.peak_bytes),
            _mib(r.baseline_peak_bytes),
            str(r.runs),
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if r.skipped:
            notes.append(f"- `{r.name}` skipped: {r.skipped}")
        if r.error:
            notes.append(f"- `{r.name}` FAILED: {r.error}")
        if r.extra:
            notes.append(f"- `{r.name}`: " + "; ".join(f"{label} {value}" for label, value in r.extra.items()))
    lines.append("")
    if notes:
        lines += [*notes, ""]
    from django.db import connection

    lines += [
        "Ratio = median seconds / baseline median seconds, both measured in this run. Peak memory is the",
        "tracemalloc peak of one extra, untimed call of each side.",
        "",
        f"Database: {connection.vendor}; scale: {scale:g}; Python {platform.python_version()}; "
        f"process max RSS: {_maxrss_bytes() / MIB:.0f} MiB.",
        "",
    ]
    return "\n".join(lines)
