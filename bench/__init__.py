"""Benchmarks: `make bench` (or `python -m bench`) times each one against a bare baseline in the same run.

Speed is measured only here, never as timed assertions in tests. To add a benchmark, drop a module in
`bench/benchmarks/` (it is imported automatically) with a `Benchmark` subclass decorated with
`@benchmark(name=..., rows=...)`; `bench/data.py` has fast, model-based helpers to populate the database.
See `bench/registry.py` for the hooks.
"""

from bench.registry import REGISTRY, Benchmark, BenchmarkError, benchmark

__all__ = ["REGISTRY", "Benchmark", "BenchmarkError", "benchmark"]
