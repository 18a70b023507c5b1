"""`python -m bench [--only NAME] [--runs N] [--scale F]`: run the benchmarks, print and write a Markdown table."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "RESULTS.md"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this benchmark (repeatable)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per side; the median is reported (5)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="factor on every row count, e.g. 0.001 for a quick smoke run"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the extra traced call for peak memory")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"Markdown file ({DEFAULT_OUTPUT})")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.scale <= 0:
        parser.error("--scale must be positive")
    return args


def main(
    argv: list[str] | None = None,
    *,
    registry=None,
    database: Callable[[], AbstractContextManager] | None = None,
) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()

    from bench.benchmarks import load_all
    from bench.database import benchmark_database
    from bench.registry import REGISTRY
    from bench.runner import markdown, run_all

    if registry is None:
        load_all()
        registry = REGISTRY
    if args.list:
        for cls in registry:
            print(f"{cls.name:30} {cls.default_rows:>12,}  {cls.description}")
        return 0
    try:
        classes = [registry.get(name) for name in args.only] if args.only else list(registry)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 2

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with (database or benchmark_database)():
        results = run_all(classes, runs=args.runs, scale=args.scale, measure_memory=not args.no_memory, log=log)
        table = markdown(results, scale=args.scale)
    args.output.write_text(table, encoding="utf-8")
    print(table)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
