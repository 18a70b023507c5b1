"""common.process: a server process freezes what loading the application made, so full collections under load do
not walk it (the register API's p99 went from 38–69 ms to 5 ms in bench/register_api)."""

import gc
import importlib
import sys


def test_loading_the_wsgi_application_freezes_what_was_loaded():
    gc.unfreeze()
    try:
        if "config.wsgi" in sys.modules:
            importlib.reload(sys.modules["config.wsgi"])
        else:
            importlib.import_module("config.wsgi")
        # Django, the project's modules, settings and URL patterns: tens of thousands of objects.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # the rest of the test run collects as a process that is not a server
