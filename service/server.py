"""`fiscalkg serve`: the app under waitress, a production WSGI server, with as
many threads as query workers (each thread waits on one worker process)."""
from __future__ import annotations

import gc
import logging
import sys

from .app import close_app, create_app, get_pool
from .query_pool import QueryError

# Response bodies are already in memory when waitress gets them; its default (1 MB) would
# copy larger ones to a temporary file before sending.
OUTBUF_IN_MEMORY = 64 << 20


def make_server(config: dict):
    """A waitress server for `config` (settings.resolved()), not yet running; port 0 picks a free port."""
    from waitress.server import create_server
    app = create_app(config)
    with app.app_context():
        get_pool()  # start the workers now: a missing store fails here, not on the first query
    threads = max(2, int(config.get("workers") or 4) + 2)  # spare threads for pages and dumps
    server = create_server(app, host=str(config["host"]), port=int(config["port"]), threads=threads,
                           max_request_body_size=int(config["max_request_bytes"]), ident="fiscalkg",
                           outbuf_overflow=OUTBUF_IN_MEMORY)
    return app, server


def serve(config: dict) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        app, server = make_server(config)
    except QueryError as exc:  # no store, or it cannot be opened: say so, no traceback
        sys.exit(f"fiscalkg serve: {exc}")
    # The objects made at start-up (modules, app, routes) live as long as the process: keep
    # them out of the garbage collector's full passes, which then stay short under load.
    gc.collect()
    gc.freeze()
    host, port = server.effective_host, server.effective_port
    print(f"fiscalkg: serving {config['store']} on http://{host}:{port}/ "
          f"(SPARQL at /sparql, timeout {config['timeout']} s, {config['workers']} query workers)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        close_app(app)


def stop(server, thread) -> None:
    """Stop a server whose `run()` is looping in `thread`. The sockets are closed from inside
    the loop (a trigger callback), since closing them under a running select() fails."""
    from waitress import wasyncore
    try:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    except OSError:  # the loop has already ended and closed its trigger: close what is left here
        wasyncore.close_all(server._map)
    thread.join(10)
    server.task_dispatcher.shutdown()
