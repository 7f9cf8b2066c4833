"""How hyperflight's compiled code is compiled: numba's options in one place.

- :func:`kernel` - a function called only from other compiled code: no Python or C wrapper
  and no cache file of its own (it is compiled into its callers). ``kernel(inline=True)``
  also has numba inline it into its callers (small helpers).
- :func:`public` - also callable from Python; cached on disk (keyed on the content of every
  compiled module: :mod:`hyperflight._numba_cache`, installed by importing this module).

Both use numpy's floating-point error model (inf and nan, never an exception) and, unless
``nrt=True``, no reference counting (numba's ``_nrt=False``): the flight kernel allocates
nothing (its work arrays are passed in), and the atomic reference counts of the arrays passed
between its functions cost about 40 % of a right-hand side (``benchmarks/c_rhs``: numba/C per
evaluation 1.36 -> 1.06). A function that allocates arrays must say ``nrt=True`` (numba
refuses to compile it otherwise). ``_nrt`` is a numba flag without a public spelling; numba
is pinned below 1.0 and the tests exercise every compiled function.
"""

from __future__ import annotations

import numba

import hyperflight._numba_cache  # noqa: F401  (before any cached function is made)

_COMMON = {"error_model": "numpy", "no_cfunc_wrapper": True}


def kernel(fn=None, *, inline: bool = False):
    """Decorator: compiled, for compiled callers only (``@kernel`` or ``@kernel(inline=True)``)."""
    options = {**_COMMON, "no_cpython_wrapper": True, "_nrt": False}
    if inline:
        options["inline"] = "always"
    deco = numba.njit(**options)
    return deco(fn) if fn is not None else deco


def public(fn=None, *, nrt: bool = False, nogil: bool = False):
    """Decorator: compiled, callable from Python, cached (``@public`` or ``@public(...)``)."""
    options = {**_COMMON, "cache": True}
    if not nrt:
        options["_nrt"] = False
    if nogil:
        options["nogil"] = True
    deco = numba.njit(**options)
    return deco(fn) if fn is not None else deco
