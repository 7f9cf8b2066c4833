"""The C port of the right-hand side (benchmarks/c_rhs, issue 15) computes what numba does.

``benchmarks/bench_rhs_c.py`` compares the speed of ``core.equations.rhs`` with a C port of
it; the comparison means something only if the C computes the same thing. Here the port is
compiled with the system C compiler (skipped without one) and evaluated on about 200 states
along the solved ``tw-glide-8000`` flight (a row every 10 s and at every event, all eight
phases: constant, scheduled, glide and dive laws, constant and table aerodynamics, thrust by
attitude, the dive's load limit). Both evaluate the same operations in the same order with
the same libm, so they agree bit for bit here; the tolerance, 1e-13 relative, leaves room only
for a libm or a compiler that rounds one operation differently. Never a time.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

from hyperflight.core import schema

# benchmarks/c_rhs is a folder of scripts, not a package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "c_rhs"))
crhs_build = importlib.import_module("crhs_build")
crhs_states = importlib.import_module("crhs_states")

MAX_REL_DIFF = 1e-13


@pytest.fixture(scope="module")
def flight() -> crhs_states.States:
    return crhs_states.flight_states(output_step_s=10.0)


@pytest.fixture(scope="module", params=["native", "portable"])
def c_rhs(request, tmp_path_factory) -> crhs_build.CRhs:
    if crhs_build.compiler() is None:
        pytest.skip("no C compiler (cc, gcc or clang) on PATH: the C port of rhs is not built")
    flags = {"native": crhs_build.FLAGS_NATIVE, "portable": crhs_build.FLAGS_PORTABLE}[
        request.param
    ]
    return crhs_build.CRhs(crhs_build.build(flags, tmp_path_factory.mktemp(request.param)))


def test_c_rhs_equals_numba_along_the_boost_glide_flight(flight, c_rhs) -> None:
    n = len(flight)
    assert 150 <= n <= 400
    # Every phase of the flight is among the states.
    assert set(np.unique(flight.phase_index)) == set(range(len(flight.phase_names)))
    dy, aux = crhs_states.outputs(n)
    crhs_states.numba_many(flight, dy, aux)
    dyc, auxc = crhs_states.outputs(n)
    assert c_rhs.many(*crhs_states.c_args(flight), dyc, auxc) == 0
    # Neither side writes aux[AUX_LAT] and aux[AUX_LON] (equations.latitude_longitude does,
    # outside the right-hand side): both keep the NaN that outputs() fills the arrays with,
    # and differences() counts NaN against NaN as equal. Every other value must be finite.
    unwritten = list(crhs_states.AUX_NOT_WRITTEN)
    assert np.isnan(aux[:, unwritten]).all() and np.isnan(auxc[:, unwritten]).all()
    written = np.delete(np.arange(schema.NAUX), unwritten)
    for name, c, ref, cols in (
        ("dydt", dyc, dy, slice(None)),
        ("aux", auxc, aux, written),
    ):
        assert np.isfinite(ref[:, cols]).all(), name
        d = crhs_states.differences(c, ref)
        assert d["max_rel"] <= MAX_REL_DIFF, (name, d)


def test_c_rhs_refuses_the_models_it_does_not_port(flight, c_rhs) -> None:
    # A wind profile is not ported: the C says so for every state and writes nothing.
    env = flight.env.copy()
    env["wind_table"] = 0
    dyc, auxc = crhs_states.outputs(len(flight))
    args = list(crhs_states.c_args(flight))
    args[5] = env
    assert c_rhs.many(*args, dyc, auxc) == len(flight)
    assert np.isnan(dyc).all() and np.isnan(auxc).all()


def test_c_header_is_generated_from_the_schema() -> None:
    text = crhs_build.header_text()
    for dtype, name in ((schema.PHASE, "hf_phase"), (schema.ENVIRONMENT, "hf_env")):
        assert f'_Static_assert(sizeof({name}) == {dtype.itemsize}, "{name} size");' in text
        for field, (_dt, off, *_) in dtype.fields.items():
            assert f'_Static_assert(offsetof({name}, {field}) == {off}, "{field}");' in text
    assert f"#define NAUX {schema.NAUX}" in text
