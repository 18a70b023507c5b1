"""A fresh database for the benchmarks, made by Django's test-runner utilities, never the dev db.sqlite3.

On SQLite the test database is a file in a temporary directory (not Django's default in-memory database),
so the benchmarks see the WAL journal and disk writes a deployment sees. With DATABASE_URL pointing at
PostgreSQL it is `bench_<name>` on that server, apart from pytest's `test_<name>`.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def benchmark_database(*, verbosity: int = 0):
    from django.db import connections
    from django.template.base import Template
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    # DEBUG stays off: with it on, every query would be kept in memory and counted as the benchmark's.
    render = Template._render
    setup_test_environment(debug=False)
    # Templates render as in a deployment: the test environment's instrumentation (a signal and a copy of the
    # context per template rendered, for assertTemplateUsed) would be counted against the real side only.
    Template._render = render
    tmpdir = tempfile.TemporaryDirectory(prefix="beheer-bench-")
    try:
        settings_dict = connections["default"].settings_dict
        test_settings = settings_dict.setdefault("TEST", {})
        if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
            test_settings["NAME"] = str(Path(tmpdir.name) / "bench.sqlite3")
        else:
            test_settings["NAME"] = test_settings.get("NAME") or f"bench_{settings_dict['NAME']}"
        old_config = setup_databases(verbosity=verbosity, interactive=False, aliases={"default"})
        try:
            yield connections["default"]
        finally:
            teardown_databases(old_config, verbosity=verbosity)
    finally:
        teardown_test_environment()
        tmpdir.cleanup()
