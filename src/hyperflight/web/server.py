"""Run the app: a threaded WSGI server on one host and port, until Ctrl-C."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable

from hyperflight.web.app import LOOPBACK_HOSTS, create_app, is_loopback
from hyperflight.web.jobs import JobManager

__all__ = ["make", "serve"]


def make(host: str = "127.0.0.1", port: int = 8000, *, workers: int = 2):
    """A started-up server (not yet serving) and its job manager; ``port`` 0 takes a free one.

    On a loopback host the app answers only to loopback names (``localhost``, ``127.0.0.1``,
    ``::1``); on another host to any name.
    """
    from werkzeug.serving import make_server

    jobs = JobManager(workers=workers)
    allowed = LOOPBACK_HOSTS if is_loopback(host) else None
    app = create_app(jobs, allowed_hosts=allowed)
    # Bind here (werkzeug would print and exit on a port in use): a message, exit status 2.
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
        sock = socket.create_server((host, port), family=family)
    except socket.gaierror as exc:
        jobs.close()
        raise ValueError(
            f"--host {host[:60]!r}: not a name or address of this machine ({exc.strerror or exc})"
        ) from None
    except OSError as exc:
        jobs.close()
        raise ValueError(
            f"--host {host[:60]} --port {port}: cannot listen there ({exc.strerror or exc}); "
            "choose another port with --port"
        ) from None
    except (ValueError, UnicodeError) as exc:
        jobs.close()
        raise ValueError(f"--host {host[:60]!r}: not a host name or address ({exc})") from None
    try:
        server = make_server(host, sock.getsockname()[1], app, threaded=True, fd=sock.fileno())
    finally:
        sock.detach()  # the server's socket is the same descriptor now
    return server, jobs


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    workers: int = 2,
    echo: Callable[[str], None] = lambda s: print(s, file=sys.stderr),
) -> None:
    """Serve until interrupted; print the address to open."""
    server, jobs = make(host, port, workers=workers)
    shown = f"[{host}]" if ":" in host else host
    echo(f"hyperflight serve: open http://{shown}:{server.port}/  (Ctrl-C stops it)")
    if not is_loopback(host):
        echo(
            f"warning: listening on {host}, not only on this machine: anyone who can reach it "
            "can use the app and keep its cores busy"
        )
    try:
        server.serve_forever()  # returns on Ctrl-C (werkzeug catches KeyboardInterrupt)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        echo("stopped (a run in progress finishes first)")
        jobs.close()
