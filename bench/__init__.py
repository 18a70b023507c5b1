"""Benchmarks: `make bench` (or `python -m bench`) times each one against a bare baseline in the same run.

Speed is measured only here, never as timed assertions in tests. To add a benchmark, drop a module in
`bench/benchmarks/` (it is imported automatically) with a `Benchmark` subclass decorated with
`@benchmark(name=..., rows=...)`; `bench/data.py` has fast, model-based helpers to populate the database.
See `bench/registry.py` for the hooks.

Sketch of the next ones (a module each): the gebruikers overview with 2,000 personen and 20,000 machtigingen
(`maak_wereld(...)`, then `insert_rows(Machtiging, ...)`; `run` GETs the page with `django.test.Client`,
`baseline` a bare view returning the same rows), and the .xlsx/.csv export of 100,000 rows (`baseline` writes
the same rows with a write-only `openpyxl.Workbook` / a bare `csv.writer` into a `BytesIO`/`StringIO`).
Return something `check` can verify (a row count), so a fast wrong answer fails instead of counting as fast.
"""

from bench.registry import REGISTRY, Benchmark, BenchmarkError, benchmark

__all__ = ["REGISTRY", "Benchmark", "BenchmarkError", "benchmark"]
