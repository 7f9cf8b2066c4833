"""How hyperflight's compiled code is compiled: numba's options in one place.

- :func:`kernel` - a function called only from other compiled code: no Python or C wrapper
  and no cache file of its own (it is compiled into its callers).
- :func:`public` - also callable from Python; cached on disk (keyed on the content of every
  compiled module: :mod:`hyperflight._numba_cache`, installed by importing this module).
  Compiled callers use its kernel twin (the same function compiled as a :func:`kernel`); the
  Python-callable version is compiled only when Python calls it.

Both use numpy's floating-point error model (inf and nan, never an exception) and, unless
``nrt=True``, no reference counting (numba's ``_nrt=False``): the flight kernel allocates
nothing (its work arrays are passed in), and the atomic reference counts of the arrays passed
between its functions cost about 40 % of a right-hand side (``benchmarks/c_rhs``: numba/C per
evaluation 1.36 -> 1.06). A function that allocates arrays must say ``nrt=True`` (numba
refuses to compile it otherwise). ``_nrt`` is a numba flag without a public spelling; numba
is pinned below 1.0 and the tests exercise every compiled function.

**Compiled once, not once per caller.** numba gives every compiled function its own LLVM
module, optimises it at O3 and emits its machine code, and then links a copy of the module
into each caller, which is optimised and emitted again: the right-hand side went through LLVM
about six times on its way into the flight loop (9.5 s of a 17-21 s cold compile). A kernel
is only ever called from compiled code, so its module is built *link-only*
(:class:`_LinkOnlyLibrary`): numba's IR is lowered to LLVM IR and handed to the callers
unoptimised, with no machine code; the public function at the top (the batch driver) runs
LLVM's O3 pipeline and the code generator once over everything. Results are bit-identical
(no fast-math: LLVM may not reassociate). No function is inlined at the numba IR level
(``inline="always"``): that types the callee again at every call site.

**Inlined by LLVM, unless said otherwise.** LLVM's own inliner left the right-hand side's
helpers (local frame, geodesy, atmosphere, control laws, aerodynamic tables) as separate
functions, each call passing every array as seven scalars and checking a status; a
right-hand side is one long chain of dependent square roots, divisions and look-ups, and
those calls sat on it. So a kernel is compiled with LLVM's ``alwaysinline`` (numba's
``forceinline`` option), and the few large functions called from several places in the loop
(the right-hand side itself, a Runge-Kutta step, the event and peak searches) say
``inline=False``: LLVM's cost model keeps them one copy each (``benchmarks/bench_batch.py``:
about 7 % of a Monte Carlo flight).

The link-only build uses numba's documented ``pipeline_class`` option, a subclass of its CPU
dispatcher, and overrides four methods of its CPU code library
(``numba.core.codegen.JITCodeLibrary``); if numba ever lacks them, :data:`LINK_ONLY` is
False and every function compiles the ordinary way (``tests/test_compile.py`` then fails).
"""

from __future__ import annotations

import numba
from numba.core import codegen as _codegen
from numba.core import types as _types
from numba.core.compiler import Compiler as _Compiler
from numba.core.registry import CPUDispatcher as _CPUDispatcher

import hyperflight._numba_cache  # noqa: F401  (before any cached function is made)

_COMMON = {"error_model": "numpy", "no_cfunc_wrapper": True}

#: True when kernels are built link-only (numba's code library has the expected methods).
LINK_ONLY = all(
    callable(getattr(_codegen.JITCodeLibrary, name, None))
    for name in (
        "_optimize_functions",
        "_optimize_final_module",
        "_finalize_final_module",
        "_finalize_dynamic_globals",
        "get_pointer_to_function",
    )
)


class _NoEnvironment:
    """The code generator as a link-only library shows it to numba: no environment to set
    (a kernel's module is never loaded on its own; its callers' copies are)."""

    def __init__(self, codegen):
        self._codegen = codegen

    def set_env(self, env_name, env):
        pass

    def __getattr__(self, name):
        return getattr(self._codegen, name)


class _LinkOnlyLibrary(_codegen.JITCodeLibrary):
    """A kernel's code: numba's LLVM IR, linked into callers, never optimised or emitted on
    its own (the caller at the top does both, once, for everything it links)."""

    def _optimize_functions(self, ll_module):
        ll_module.data_layout = self._codegen._data_layout

    def _optimize_final_module(self):
        pass

    def _finalize_final_module(self):
        self._finalize_dynamic_globals()
        self._finalized = True

    def get_pointer_to_function(self, name):
        self._ensure_finalized()
        return 0  # no machine code: a kernel has no entry point of its own

    @property
    def codegen(self):
        return _NoEnvironment(self._codegen)


class _LinkOnlyCompiler(_Compiler):
    """numba's standard pipeline, compiling into a :class:`_LinkOnlyLibrary`."""

    def compile_extra(self, func):
        if self.state.library is None:
            codegen = self.state.targetctx.codegen()
            self.state.library = _LinkOnlyLibrary(codegen, func.__qualname__)
        return super().compile_extra(func)


class _PublicDispatcher(_CPUDispatcher):
    """A public function: Python calls compile and cache this dispatcher; compiled callers
    see its kernel twin (``_numba_type_`` is how numba types a function used as a value).
    The twin is made when first needed, so a dispatcher rebuilt by unpickling (a Dask
    worker) has one too."""

    _twin = None

    @property
    def _kernel_twin(self):
        if self._twin is None:
            nrt = self.targetoptions.get("_nrt", True) is not False
            inline = bool(self.targetoptions.get("forceinline", False))
            self._twin = _compile_as_kernel(self.py_func, nrt, inline)
        return self._twin

    @property
    def _numba_type_(self):
        return _types.Dispatcher(self._kernel_twin)


def _kernel_options(nrt: bool) -> dict:
    options = {**_COMMON, "no_cpython_wrapper": True}
    if not nrt:
        options["_nrt"] = False
    return options


def _compile_as_kernel(fn, nrt: bool = False, inline: bool = True):
    options = _kernel_options(nrt)
    if inline:
        options["forceinline"] = True
    if LINK_ONLY:
        return numba.njit(pipeline_class=_LinkOnlyCompiler, **options)(fn)
    return numba.njit(**options)(fn)


def kernel(fn=None, *, inline: bool = True):
    """Decorator: compiled, for compiled callers only (``@kernel`` or ``@kernel(inline=False)``).

    ``inline``: LLVM inlines the function into every caller (``alwaysinline``; the default,
    for small and single-use functions); False leaves it to LLVM's own cost model, which keeps
    a large function called from several places as one copy.
    """

    def deco(f):
        return _compile_as_kernel(f, inline=inline)

    return deco(fn) if fn is not None else deco


def public(fn=None, *, nrt: bool = False, nogil: bool = False, inline: bool = True):
    """Decorator: compiled, callable from Python, cached (``@public`` or ``@public(...)``).
    ``inline`` is how compiled callers get it (see :func:`kernel`)."""
    options = dict(_COMMON)
    if not nrt:
        options["_nrt"] = False
    if nogil:
        options["nogil"] = True
    if inline:
        options["forceinline"] = True

    def deco(f):
        if not LINK_ONLY or numba.config.DISABLE_JIT:
            return numba.njit(cache=True, **options)(f)
        dispatcher = _PublicDispatcher(f, locals={}, targetoptions=options)
        dispatcher.enable_caching()
        return dispatcher

    return deco(fn) if fn is not None else deco
