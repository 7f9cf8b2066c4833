"""The on-disk numba cache follows edits of the modules a compiled function depends on.

numba alone keys a cached function on its own file: ``us76_kernel`` (atmosphere.py) reads
``G0_M_S2`` from constants.py, so after an edit of that constant it would keep the old value
in its machine code. In the isothermal layer 11-20 km (US76 Table 4, L_b = 0) the kernel
computes p = p_b exp(-g0 M0 (h - h_b) / (R* T_b)); p_b comes from the table built in Python
at run time, so only the ratio of two pressures in the layer isolates the compiled g0:
ln(p(z1) / p(z2)) is proportional to g0.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import hyperflight

# Both altitudes in the 11-20 km geopotential layer (geometric 20 km is 19.94 km geopotential).
_PROBE = """
import json, math, sys
import hyperflight
from hyperflight.environment.atmosphere import us76_kernel, us76_table
table = us76_table()
p1 = us76_kernel(12000.0, table)[1]
p2 = us76_kernel(18000.0, table)[1]
stats = us76_kernel.stats
print(json.dumps({
    "file": hyperflight.__file__,
    "log_ratio": math.log(p1 / p2),
    "hits": sum(stats.cache_hits.values()),
    "misses": sum(stats.cache_misses.values()),
    "cache_path": stats.cache_path,
}))
"""

_G0_LINE = "G0_M_S2 = 9.80665"


def _run(package_root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "NUMBA_DISABLE_JIT")}
    env["PYTHONPATH"] = str(package_root)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env=env,
        cwd=package_root,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_edit_of_a_constant_in_another_module_reaches_cached_code(tmp_path: Path) -> None:
    source = Path(hyperflight.__file__).parent
    copy = tmp_path / "hyperflight"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    constants = copy / "environment" / "constants.py"
    text = constants.read_text()
    assert text.count(_G0_LINE) == 1, "constants.py no longer defines G0_M_S2 as expected"

    first = _run(tmp_path)
    assert Path(first["file"]).resolve().is_relative_to(tmp_path.resolve())
    assert Path(first["cache_path"]).resolve().is_relative_to(copy.resolve())
    assert first["misses"] >= 1  # cold: compiled and saved

    # Edit the constant in constants.py only; atmosphere.py (the kernel's file) is untouched.
    g0_new = 9.0
    constants.write_text(text.replace(_G0_LINE, f"G0_M_S2 = {g0_new!r}"))
    second = _run(tmp_path)
    assert second["misses"] >= 1 and second["hits"] == 0  # the old machine code was not used
    assert second["log_ratio"] / first["log_ratio"] == pytest.approx(g0_new / 9.80665, rel=1e-9)
    assert second["cache_path"] != first["cache_path"]
    assert not Path(first["cache_path"]).exists()  # the stale folder was pruned

    # No edit: everything comes from the cache, with the edited value.
    third = _run(tmp_path)
    assert third["misses"] == 0 and third["hits"] >= 1
    assert third["log_ratio"] == second["log_ratio"]
