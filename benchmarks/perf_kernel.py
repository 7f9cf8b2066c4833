"""Where the compiled flight loop spends its time: a batch for ``perf``, with a symbol map.

numba's machine code is anonymous memory to ``perf``; this script flies a serial batch of
``tw-glide-8000`` at the Monte Carlo tolerance, then writes ``/tmp/perf-<pid>.map`` (the
convention ``perf report`` reads) with the address and size of every function in the batch
driver's compiled library: the right-hand side, its inner-stage variant, the Runge-Kutta step,
the loop, the event and peak searches (the helpers are inlined into them). libm's functions
(``pow``, ``atan2``, ``sincos``) are resolved by ``perf`` itself.

    perf record -F 4000 -o /tmp/perf.data python benchmarks/perf_kernel.py 12000
    perf report -i /tmp/perf.data --no-children --sort dso,symbol -g none | grep -E "JIT|libm"

The first figure is the number of flights (default 4,000). The script compiles the kernel in
its own process, on an empty numba cache of its own: code loaded from numba's cache has no
object file to read the functions' sizes from (the map would be empty). The compile's samples
are in the profile too, in Python and numba's libraries; the shares quoted in
``benchmarks/README.md`` are of the ``[JIT]`` and ``libm`` samples only.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time

# Before numba is imported: a fresh cache, so the kernel is compiled here (see above).
os.environ["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="hf-perf-")
atexit.register(shutil.rmtree, os.environ["NUMBA_CACHE_DIR"], True)

import numpy as np  # noqa: E402

from hyperflight.analysis.batch import PackedFlight  # noqa: E402
from hyperflight.core import driver  # noqa: E402
from hyperflight.core.batch import run_packed  # noqa: E402
from hyperflight.core.flight import Tolerances  # noqa: E402
from hyperflight.mission.run import run_scenario  # noqa: E402
from hyperflight.mission.scenario import load_scenario  # noqa: E402


def _function_sizes(library) -> dict[str, int]:
    """Size in bytes of each function defined in a compiled library's object code."""
    try:
        obj = library._get_compiled_object()
    except Exception:  # compiled in this process and not yet serialised
        obj = library._codegen._tm.emit_object(library._final_module)
    with tempfile.NamedTemporaryFile(suffix=".o") as f:
        f.write(obj)
        f.flush()
        out = subprocess.run(
            ["nm", "-S", "--defined-only", f.name], capture_output=True, text=True, check=True
        ).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tTW":
            sizes[parts[3]] = int(parts[1], 16)
    return sizes


def write_perf_map(dispatcher) -> int:
    """Write /tmp/perf-<pid>.map for every function of the dispatcher's libraries."""
    lines = []
    for cres in dispatcher.overloads.values():
        library = cres.library
        for name, size in _function_sizes(library).items():
            try:
                address = library.get_pointer_to_function(name)
            except Exception:
                continue
            if address:
                lines.append(f"{address:x} {size:x} {name}\n")
    with open(f"/tmp/perf-{os.getpid()}.map", "w") as f:
        f.writelines(lines)
    return len(lines)


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 4_000
    base = PackedFlight.from_result(run_scenario(load_scenario("tw-glide-8000")))
    tol = Tolerances.monte_carlo()
    y0 = np.repeat(base.y0[None], n, 0)
    records = np.repeat(base.records[None], n, 0)
    env = np.repeat(base.env[None], n, 0)
    options = {"tolerances": tol, "output_step_s": 10.0, "parallel": False}
    run_packed(y0[:10], records[:10], env[:10], base.tables, **options)
    t = time.perf_counter()
    summary = run_packed(y0, records, env, base.tables, **options)[1]
    dt = time.perf_counter() - t
    steps = summary["accepted_steps"].mean() + summary["rejected_steps"].mean()
    print(
        f"{n:,} flights of tw-glide-8000 at rtol {tol.rtol:g}, one thread: "
        f"{dt / n * 1e6:.0f} us a flight, {steps:.0f} steps"
    )
    count = write_perf_map(driver.fly_members)
    print(f"perf map: {count} functions in /tmp/perf-{os.getpid()}.map")


if __name__ == "__main__":
    main(sys.argv[1:])
