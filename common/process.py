"""What a server process does once the application is loaded (config.wsgi): what loading made is taken out of
the garbage collector's sight.

A worker's objects are mostly what loading made (modules, settings, URL patterns, templates): some 150,000 in a
register API worker. A full collection walks every one of them, and under load that is a pause of up to 150 ms
every few seconds (the API's p99). Frozen (gc.freeze) they are no longer walked; they stay alive as they would
anyway, refcounting frees what it frees, and the objects made later are collected as before.
"""

import gc


def freeze_what_was_loaded() -> None:
    gc.collect()
    gc.freeze()
