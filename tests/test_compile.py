"""How the compiled code is built (``hyperflight._jit``): kernels are linked, not built alone.

A compiled caller of a public function uses its *kernel twin*: the same function compiled
link-only (numba's LLVM IR, handed unoptimised to the caller, with no machine code of its
own); the caller runs LLVM's O3 pipeline once over everything it links. Python callers get the
ordinary, separately optimised and cached compile. Both must give the same numbers, bit for
bit (no fast-math, so LLVM may not reassociate): that is checked here on functions with square
roots, powers, exponentials and logarithms, over thousands of inputs.
"""

from __future__ import annotations

import math
import re

import numba
import numpy as np
import pytest

from hyperflight import _jit
from hyperflight.core.equations import rhs
from hyperflight.environment.atmosphere import us76_kernel, us76_table
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesy import altitude_sin_cos
from hyperflight.environment.gravity import gravity_j2


# Compiled callers made here (not cached: they are not in the package), so each test run
# compiles them and the twins they call, whatever the on-disk cache holds.
@numba.njit(error_model="numpy")
def _through_twins(zs, table, rhos, a, e2, mu, j2, out):
    for i in range(zs.shape[0]):
        t, p, rho, c, mu_air = us76_kernel(zs[i], table)
        h, s, co = altitude_sin_cos(rhos[i], zs[i], a, e2)
        gx, gy, gz = gravity_j2(rhos[i], 0.0, zs[i] + 6.4e6, mu, a, j2)
        out[i] = (t, p, rho, c, mu_air, h, s, co, gx, gy, gz)


def _inputs(n: int = 4_000):
    rng = np.random.default_rng(7)
    zs = rng.uniform(-5_000.0, 999_000.0, n)
    rhos = rng.uniform(0.0, 7.5e6, n)
    return zs, rhos


def test_kernel_twins_give_the_ordinary_compile_bit_for_bit() -> None:
    assert _jit.LINK_ONLY, "numba's code library changed: kernels compile the ordinary way"
    earth = EarthModel.wgs84()
    a, e2 = earth.equatorial_radius_m, earth.e2
    mu, j2 = earth.mu_m3_s2, earth.j2
    table = us76_table()
    zs, rhos = _inputs()
    via_twins = np.empty((zs.size, 11))
    _through_twins(zs, table, rhos, a, e2, mu, j2, via_twins)
    # The same public functions called from Python: their ordinary, cached compile.
    ordinary = np.array(
        [
            us76_kernel(z, table)
            + altitude_sin_cos(r, z, a, e2)
            + gravity_j2(r, 0.0, z + 6.4e6, mu, a, j2)
            for z, r in zip(zs, rhos, strict=True)
        ]
    )
    assert np.isfinite(ordinary).all()
    np.testing.assert_array_equal(via_twins, ordinary)


def test_compiled_callers_link_the_twin_and_build_no_machine_code_for_it() -> None:
    table = us76_table()
    zs, rhos = _inputs(4)
    _through_twins(zs, table, rhos, 6378137.0, 0.00669, 3.986e14, 1.08e-3, np.empty((4, 11)))
    for public in (us76_kernel, altitude_sin_cos, gravity_j2):
        twin = public._kernel_twin
        assert twin.signatures, f"{public.__name__}: its compiled caller did not use the twin"
        for cres in twin.overloads.values():
            assert isinstance(cres.library, _jit._LinkOnlyLibrary)
            assert cres.library.get_pointer_to_function(cres.fndesc.llvm_func_name) == 0
    # The caller at the top is an ordinary library with machine code.
    (cres,) = _through_twins.overloads.values()
    assert not isinstance(cres.library, _jit._LinkOnlyLibrary)
    assert cres.library.get_pointer_to_function(cres.fndesc.llvm_func_name) != 0


def test_a_public_function_rebuilt_elsewhere_still_links_its_twin(tmp_path) -> None:
    """A Dask worker rebuilds a pickled dispatcher from its Python function and options: it
    must still hand compiled callers a kernel twin (made when first needed)."""
    import pickle
    import subprocess
    import sys

    blob = tmp_path / "fn.pkl"
    blob.write_bytes(pickle.dumps(altitude_sin_cos))
    probe = f"""
import pickle, numba
fn = pickle.loads(open({str(blob)!r}, "rb").read())
@numba.njit
def caller(r, z):
    return fn(r, z, 6378137.0, 0.0066943799901413165)[0]
print(caller(6378137.0, 0.0), fn._kernel_twin.signatures != [])
"""
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    ).stdout.split()
    assert float(out[0]) == pytest.approx(0.0, abs=1e-6) and out[1] == "True"


# A kernel is marked for LLVM to inline into every caller unless it says inline=False (then
# LLVM's own cost model decides, and keeps large functions called from several places as one
# copy). Made here, so compiled fresh by every run (never from the on-disk cache).
@_jit.kernel
def _small_helper(x):
    return x * 2.0 + 1.0


@_jit.kernel(inline=False)
def _left_to_llvm(x):
    return math.sqrt(_small_helper(x)) * 3.0


@numba.njit(error_model="numpy")
def _top(x):
    return _left_to_llvm(x) + _left_to_llvm(x + 1.0) + _small_helper(x)


def _attributes(kernel_dispatcher) -> str:
    """The LLVM function attributes of a kernel's definition (its attribute groups resolved)."""
    (cres,) = kernel_dispatcher.overloads.values()
    name = cres.fndesc.llvm_func_name
    ir = cres.library.get_llvm_str()
    (line,) = [ln for ln in ir.splitlines() if ln.startswith("define") and f"@{name}(" in ln]
    groups = dict(re.findall(r"^attributes (#\d+) = \{(.*)\}", ir, re.M))
    return line + " " + " ".join(groups.get(g, "") for g in re.findall(r"#\d+", line))


def test_kernels_are_inlined_unless_they_say_inline_false() -> None:
    assert _top(1.0) == pytest.approx(3.0 * math.sqrt(3.0) + 3.0 * math.sqrt(5.0) + 3.0)
    assert "alwaysinline" in _attributes(_small_helper)
    assert "alwaysinline" not in _attributes(_left_to_llvm)
    (sig,) = _top.signatures
    defined = set(re.findall(r"^(_ZN\S+):", _top.inspect_asm(sig), re.M))
    assert not any("_small_helper" in name for name in defined)
    # The package's choices: the right-hand side stays one function (called from every stage
    # and every event and peak search); the helpers it calls are inlined.
    assert rhs._kernel_twin.targetoptions.get("forceinline", False) is False
    assert us76_kernel._kernel_twin.targetoptions.get("forceinline") is True
    assert altitude_sin_cos._kernel_twin.targetoptions.get("forceinline") is True
