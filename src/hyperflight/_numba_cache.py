"""A numba on-disk cache for hyperflight that cannot go stale.

numba keys a cached function on its own source file only, so an edit of a module it calls
(a constant in ``environment/constants.py``, a field in ``core/schema.py``, a kernel
function called from ``core/batch.py``) leaves its callers running the old machine code.
Here every compiled function of the package is keyed on one SHA-256 over the bytes of all
``.py`` files under ``environment/`` and ``core/``, ``_jit.py`` (the compile options) and
numba's version: the cache lives in
a subfolder ``hf-<first 16 hex digits>`` of the folder numba would have used, and the full
digest is the source stamp. Any edit of any of those files moves every function to a new,
empty folder; old ``hf-*`` folders beside it in the package's own ``__pycache__`` folders
are deleted.

:func:`install` registers the locators first in numba's list; it must run before the first
``@numba.njit(cache=True)`` of the package is executed (the locator is chosen when the
decorator builds the dispatcher), so ``hyperflight.environment`` and ``hyperflight.core``
import this module first. If numba's internals are not as expected, numba's own locators
stay in charge (correct caching of each function's own file, as before).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from pathlib import Path

_PACKAGE_DIR = os.path.realpath(os.path.dirname(__file__))
# The sub-packages whose source numba-compiled code is built from.
_COMPILED_SUBPACKAGES = ("core", "environment")
# Top-level modules whose content also decides the machine code (the compile options).
_COMPILED_MODULES = ("_jit.py",)
_PREFIX = "hf-"


@functools.cache
def source_digest() -> str:
    """SHA-256 (hex) of numba's version and every ``.py`` file of the compiled sub-packages.

    Files are taken in sorted order of their path relative to the package, and each path is
    hashed with its content, so a rename counts as an edit. Computed once per process.
    """
    import numba

    h = hashlib.sha256(f"numba {numba.__version__}\n".encode())
    root = Path(_PACKAGE_DIR)
    files = sorted(
        [
            path.relative_to(root).as_posix()
            for sub in _COMPILED_SUBPACKAGES
            for path in (root / sub).rglob("*.py")
        ]
        + [name for name in _COMPILED_MODULES if (root / name).is_file()]
    )
    for rel in files:
        data = (root / rel).read_bytes()
        h.update(f"{rel}\n{len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


def _in_package(py_file: str) -> bool:
    return os.path.realpath(py_file).startswith(_PACKAGE_DIR + os.sep)


_pruned: set[str] = set()


def _prune_other_hashes(parent: str, keep: str) -> None:
    """Delete ``hf-*`` folders other than ``keep`` in ``parent``, once per folder."""
    if parent in _pruned:
        return
    _pruned.add(parent)
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        if name.startswith(_PREFIX) and name != keep:
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def _make_locators(caching):
    """Subclasses of numba's user-provided, in-tree and user-wide locators, in that order."""

    class _ContentHashed:
        """Mixin: cache in ``<numba's folder>/hf-<digest16>``, source stamp = the digest."""

        _hyperflight_locator = True

        def get_cache_path(self) -> str:
            return os.path.join(super().get_cache_path(), _PREFIX + source_digest()[:16])

        def get_source_stamp(self) -> str:
            return source_digest()

        @classmethod
        def from_function(cls, py_func, py_file):
            if not _in_package(py_file):
                return None
            try:
                source_digest()
            except OSError:  # unreadable package source: numba's own locators take over
                return None
            return super().from_function(py_func, py_file)

    class HyperflightUserProvidedLocator(_ContentHashed, caching.UserProvidedCacheLocator):
        """``NUMBA_CACHE_DIR`` when set."""

    class HyperflightInTreeLocator(_ContentHashed, caching.InTreeCacheLocator):
        """The ``__pycache__`` folder beside the module, when writable."""

        @classmethod
        def from_function(cls, py_func, py_file):
            locator = super().from_function(py_func, py_file)
            if locator is not None:
                path = locator.get_cache_path()
                _prune_other_hashes(os.path.dirname(path), os.path.basename(path))
            return locator

    class HyperflightUserWideLocator(_ContentHashed, caching.UserWideCacheLocator):
        """The user's cache folder, when the package folder is read-only."""

    return [
        HyperflightUserProvidedLocator,
        HyperflightInTreeLocator,
        HyperflightUserWideLocator,
    ]


@functools.cache
def install() -> bool:
    """Put the content-hashed locators first in numba's list; idempotent.

    Returns False (and changes nothing) when numba's caching internals differ from those of
    the versions this was written for (0.5x-0.6x).
    """
    try:
        from numba.core import caching

        impl = getattr(caching, "CacheImpl", None) or caching._CacheImpl
        classes = impl._locator_classes
        locators = _make_locators(caching)
    except (ImportError, AttributeError):
        return False
    if not isinstance(classes, list):
        return False
    classes[:] = [c for c in classes if not getattr(c, "_hyperflight_locator", False)]
    classes[0:0] = locators
    return True


install()


# Rough cold-compile time of the flight kernel on a 2-core machine, s (measured 30 Nov 2026:
# 12-13 s, for a scenario and for a first compare alike; a faster machine takes less).
COMPILE_SECONDS = "10-15"
_announced: set[str] = set()


def is_cached(dispatcher) -> bool:
    """Whether ``dispatcher`` (a ``numba.njit(cache=True)`` function) has machine code in
    its on-disk cache folder for this package version (True when it cannot tell)."""
    try:
        index = os.path.join(
            dispatcher._cache._cache_path, dispatcher._cache._cache_file._index_name
        )
    except AttributeError:  # numba's internals changed: do not claim a compile
        return True
    return os.path.exists(index)


def announce_compile(dispatcher, what: str = "the flight kernel") -> None:
    """Say once per process, on stderr, that ``what`` is being compiled when ``dispatcher``
    has nothing in its cache yet (the first run after an install or an update)."""
    import sys

    key = getattr(dispatcher, "__name__", str(id(dispatcher)))
    if key in _announced:
        return
    _announced.add(key)
    if not hasattr(dispatcher, "signatures"):  # NUMBA_DISABLE_JIT: nothing is compiled
        return
    if dispatcher.signatures or is_cached(dispatcher):
        return
    print(
        f"hyperflight: compiling {what} for this version (once; about {COMPILE_SECONDS} s "
        "on 2 cores); later runs start at once",
        file=sys.stderr,
        flush=True,
    )
