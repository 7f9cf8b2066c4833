"""The GPU kernels compiled for a device that is not there: PTX, then registers and spills.

numba-cuda compiles a kernel for a given compute capability without a GPU (it needs NVVM and
NVRTC, from the CUDA toolkit or the ``nvidia-*`` wheels); ``ptxas -v`` (CUDA toolkit) then
assembles the PTX and reports, per thread, the registers, the stack frame (local memory: the
per-thread work arrays and spills) and the spill stores and loads. That is the register
pressure and local-memory use of each work-array layout of :mod:`hyperflight.core.gpu`,
measured on any machine; their speed needs a device (``benchmarks/bench_gpu.py``).

    python benchmarks/gpu_ptx.py [--cc 9.0] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np


def kernel_signatures():
    from numba import from_dtype, types

    from hyperflight.core import schema as S

    def rec(dtype, ndim):
        return types.Array(from_dtype(dtype), ndim, "C")

    common = (
        types.int64[::1],
        types.float64[:, ::1],
        rec(S.PHASE, 2),
        rec(S.ENVIRONMENT, 1),
        types.float64[::1],
        types.float64[:, ::1],
        rec(S.TOLERANCES, 1),
        rec(S.SUMMARY, 1),
    )
    soa = common + (types.float64[:, :, ::1],) * 4 + (types.int64[:, :, ::1],)
    return {"soa": soa, "local": common}


def compile_ptx(layout: str, cc: tuple[int, int]) -> str:
    """PTX of the kernel for ``layout`` at compute capability ``cc`` (no device needed)."""
    import numba.cuda.dispatcher as dispatcher
    from numba import cuda

    from hyperflight.core import gpu

    class _Device:  # device functions ask the current device for its compute capability
        compute_capability = cc

    dispatcher.get_current_device = lambda: _Device()
    ptx, _ = cuda.compile_ptx(gpu._BODIES[layout], kernel_signatures()[layout], cc=cc)
    return ptx


def ptxas_report(ptx: str, cc: tuple[int, int], max_registers: int | None = None) -> dict | None:
    """Registers, stack frame and spills of the kernel entry (``ptxas -v``; with
    ``-maxrregcount`` when ``max_registers`` is given), or None without ``ptxas``."""
    ptxas = shutil.which("ptxas")
    if ptxas is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "k.ptx"
        src.write_text(ptx)
        cmd = [ptxas, "-v", f"-arch=sm_{cc[0]}{cc[1]}", str(src), "-o", str(Path(tmp) / "k.cubin")]
        if max_registers is not None:
            cmd.append(f"-maxrregcount={max_registers}")
        out = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            check=True,
        ).stderr
    # The entry is the one function with 'Used N registers' after its properties line.
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if "Function properties for" in line and "_kernel_" in line:
            frame = re.search(
                r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads",
                lines[i + 1],
            )
            regs = re.search(r"Used (\d+) registers", lines[i + 2])
            if frame and regs:
                return {
                    "registers": int(regs.group(1)),
                    "stack_frame_bytes": int(frame.group(1)),
                    "spill_store_bytes": int(frame.group(2)),
                    "spill_load_bytes": int(frame.group(3)),
                }
    return None


def main(argv: list[str] | None = None) -> dict:
    vars(np).setdefault("row_stack", np.vstack)  # older numba-cuda with NumPy >= 2.5
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cc", default="9.0", help="compute capability (default 9.0: H100/H200)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    cc = tuple(int(x) for x in args.cc.split("."))
    res: dict = {"compute_capability": args.cc}
    for layout in ("soa", "local"):
        t0 = time.perf_counter()
        ptx = compile_ptx(layout, cc)
        row = {"ptx_bytes": len(ptx), "compile_s": time.perf_counter() - t0}
        row["ptxas"] = ptxas_report(ptx, cc)
        res[layout] = row
        if not args.json:
            mb = len(ptx) / 1e6
            print(f"{layout:>5}: PTX {mb:.2f} MB in {row['compile_s']:.1f} s; {row['ptxas']}")
        if layout == "local" and row["ptxas"] is not None:
            # Fewer registers a thread let more threads run at once (occupancy), at the cost
            # of spills: the trade a device has to time (run_packed_gpu(max_registers=...)).
            row["register_limits"] = {n: ptxas_report(ptx, cc, n) for n in (64, 96, 128, 168)}
            if not args.json:
                for n, r in row["register_limits"].items():
                    print(f"       at most {n} registers: {r}")
    if args.json:
        print(json.dumps(res, indent=2))
    return res


if __name__ == "__main__":
    main()
