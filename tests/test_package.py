"""The package surface: lazy top-level exports, a command line that starts without numba."""

from __future__ import annotations

import subprocess
import sys

import hyperflight


def test_every_top_level_export_resolves():
    for name in hyperflight.__all__:
        assert getattr(hyperflight, name) is not None, name
    assert {"Steering", "TableThrust", "run_scenario", "compare", "check_claim"} <= set(
        hyperflight.__all__
    )


def test_the_command_line_does_not_import_numba():
    code = "import sys, hyperflight.cli.main; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_version_and_completion_options():
    from typer.testing import CliRunner

    from hyperflight.cli.main import app

    res = CliRunner().invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"hyperflight {hyperflight.__version__}"
    assert "--install-completion" in CliRunner().invoke(app, ["--help"]).stdout
