"""The benchmark base class and the registry that `python -m bench` runs.

A benchmark is a class with the hooks below, registered with `@benchmark(name=..., rows=...)`:

    @benchmark(name="export_csv", rows=100_000)
    class ExportCsv(Benchmark):
        def prepare(self): ...   # once: populate self.rows rows (not timed)
        def setup(self): ...     # before every timed call: bring the data back to the prepared state
        def run(self): ...       # timed: the code under test
        def baseline(self): ...  # timed: the bare minimum doing the same work (raw SQL, csv.writer, ...)
        def teardown(self): ...  # after every timed call: undo what it wrote

`self.rows` is the row count after `--scale`. Each benchmark starts on an empty, migrated database and the
runner empties it again afterwards, so `prepare` never has to clean up after another benchmark.
"""

from __future__ import annotations

from typing import Any, ClassVar


class BenchmarkError(Exception):
    """A benchmark produced a wrong result: timing it would be meaningless."""


class Benchmark:
    name: ClassVar[str] = ""
    default_rows: ClassVar[int] = 0
    description: ClassVar[str] = ""
    # Benchmarks touching several databases or none can narrow this; the runner flushes these.
    flush_database: ClassVar[bool] = True
    # Off for benchmarks whose work happens in other processes (a server): this process's memory says nothing.
    measure_memory: ClassVar[bool] = True

    def __init__(self, *, rows: int):
        self.rows = rows

    def skip_reason(self) -> str | None:
        """A reason not to run (e.g. the code under test does not exist yet), or None."""
        return None

    def prepare(self) -> None:
        """Populate the database once; not timed."""

    def setup(self) -> None:
        """Before each timed call, so each run starts from the same state; not timed."""

    def run(self) -> Any:
        raise NotImplementedError

    def baseline(self) -> Any:
        raise NotImplementedError

    def check(self, result: Any, *, baseline: bool) -> None:
        """Verify a run's result (raise BenchmarkError): a fast wrong answer must not count as fast."""

    def teardown(self) -> None:
        """After each timed call; not timed."""

    def measured_seconds(self, result: Any, elapsed: float) -> float:
        """The seconds a timed call counts for: the runner's clock, unless the benchmark measured the work
        itself (e.g. a load generator running for a fixed time reports the time per N answers)."""
        return elapsed

    def extra(self) -> dict[str, str]:
        """After the timed runs, before `finish`; not timed: further figures for the report (label → value),
        e.g. throughput or latency percentiles the benchmark measured itself."""
        return {}

    def finish(self) -> None:
        """After all runs; not timed. The runner empties the database after this."""


class Registry:
    def __init__(self) -> None:
        self._benchmarks: dict[str, type[Benchmark]] = {}

    def benchmark(self, *, name: str, rows: int, description: str = ""):
        def register(cls: type[Benchmark]) -> type[Benchmark]:
            if not (isinstance(cls, type) and issubclass(cls, Benchmark)):
                raise TypeError(f"@benchmark decorates a Benchmark subclass, not {cls!r}")
            if name in self._benchmarks:
                raise ValueError(f"benchmark {name!r} is registered twice")
            cls.name = name
            cls.default_rows = rows
            cls.description = description or (cls.__doc__ or "").strip().split("\n")[0]
            self._benchmarks[name] = cls
            return cls

        return register

    def names(self) -> list[str]:
        return list(self._benchmarks)

    def get(self, name: str) -> type[Benchmark]:
        try:
            return self._benchmarks[name]
        except KeyError:
            known = ", ".join(self._benchmarks) or "none"
            raise KeyError(f"no benchmark {name!r} (known: {known})") from None

    def __iter__(self):
        return iter(self._benchmarks.values())

    def __len__(self) -> int:
        return len(self._benchmarks)


REGISTRY = Registry()
benchmark = REGISTRY.benchmark


def scaled_rows(default_rows: int, scale: float) -> int:
    """The row count for `--scale`; never below 1 so a smoke run still does the work once."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    return max(1, round(default_rows * scale))
