"""The rooms of DESIGN.md keep their arrows pointing down: the import-linter contracts in
pyproject.toml (``[tool.importlinter]``) hold for this checkout's source.

The linter runs in a child process with ``src/`` first on the path, so it reads the code of
this checkout (not an installed copy), from the import statements themselves (grimp), imports
inside functions included.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[1]

LINT = """
import sys
from importlinter.cli import lint_imports
sys.exit(lint_imports(config_filename="pyproject.toml", no_cache=True, no_logo=True))
"""


def test_import_contracts_are_kept() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    run = subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"import contracts broken (lint-imports):\n{output}"
    assert "0 broken" in output, output
