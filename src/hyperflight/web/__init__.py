"""``hyperflight serve``: a local web app over the same API as the command line.

A room beside :mod:`hyperflight.cli` (thin: parse, call the API, render; no physics). Pages
(:mod:`~hyperflight.web.pages`) read their fields with the command line's own functions, jobs
(:mod:`~hyperflight.web.jobs`) run in background threads, the Flask app
(:mod:`~hyperflight.web.app`) serves forms, progress, interactive reports and data files, and
:func:`~hyperflight.web.server.serve` listens on 127.0.0.1 by default. Everything works
offline: no script, style or font comes from another host.
"""

from __future__ import annotations

__all__ = ["create_app", "serve"]


def __getattr__(name: str):  # lazy: importing the package does not import Flask
    if name == "create_app":
        from hyperflight.web.app import create_app

        return create_app
    if name == "serve":
        from hyperflight.web.server import serve

        return serve
    raise AttributeError(name)
