"""States along a real flight, and the numba right-hand side evaluated on them.

:func:`flight_states` flies the solved ``tw-glide-8000`` scenario (``hyperflight.fly`` on
its packed phases) and returns every output row as a right-hand-side input: flight time,
state, time in phase, phase index, with the PHASE records, the ENVIRONMENT record, the tables
and US 1976's table the kernel used. :func:`numba_many` / :func:`numba_loop` call
``hyperflight.core.equations.rhs`` on them from compiled code, as the C loops do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from hyperflight import fly
from hyperflight.analysis.batch import PackedFlight
from hyperflight.core import schema
from hyperflight.core.equations import rhs
from hyperflight.environment.atmosphere import us76_table

SCENARIO = "tw-glide-8000"


@dataclass(frozen=True)
class States:
    """Right-hand-side inputs: ``t`` (s), ``y`` (n x NSTATE), ``tp`` time in phase (s),
    ``phase_index`` (n), and the flight's ``phases`` (PHASE records), ``env`` (one
    ENVIRONMENT record, shape (1,)), ``tables`` and ``atm``; ``phase_names`` by index."""

    t: np.ndarray
    y: np.ndarray
    tp: np.ndarray
    phase_index: np.ndarray
    phases: np.ndarray
    env: np.ndarray
    tables: np.ndarray
    atm: np.ndarray
    phase_names: tuple[str, ...]

    def __len__(self) -> int:
        return self.t.size

    def subset(self, rows: np.ndarray) -> States:
        """The same flight's inputs at ``rows`` only."""
        return States(
            t=np.ascontiguousarray(self.t[rows]),
            y=np.ascontiguousarray(self.y[rows]),
            tp=np.ascontiguousarray(self.tp[rows]),
            phase_index=np.ascontiguousarray(self.phase_index[rows]),
            phases=self.phases,
            env=self.env,
            tables=self.tables,
            atm=self.atm,
            phase_names=self.phase_names,
        )


def flight_states(output_step_s: float = 0.5, packed: PackedFlight | None = None) -> States:
    """Every row of the solved ``tw-glide-8000`` flight (a row each ``output_step_s`` and at
    every event) as right-hand-side inputs. The time in phase of a row is its time minus the
    time of the previous phase's last row (the terminal event that began the phase)."""
    pf = packed if packed is not None else PackedFlight.from_scenario(SCENARIO)
    tr = fly(pf.initial, pf.phases, earth=pf.earth, output_step_s=output_step_s)
    if not tr.ok:
        raise RuntimeError(f"{SCENARIO}: the flight did not complete ({tr})")
    t = np.ascontiguousarray(tr["time_s"], dtype=np.float64)
    phase = np.ascontiguousarray(tr["phase"], dtype=np.int64)
    cols = ("eci_x_m", "eci_y_m", "eci_z_m", "eci_vx_m_s", "eci_vy_m_s", "eci_vz_m_s", "mass_kg")
    y = np.ascontiguousarray(np.stack([tr[c] for c in cols], axis=1), dtype=np.float64)
    start = np.zeros(len(pf.phases))
    for p in range(1, len(pf.phases)):
        before = np.flatnonzero(phase == p - 1)
        start[p] = t[before[-1]] if before.size else np.nan
    return States(
        t=t,
        y=y,
        tp=t - start[phase],
        phase_index=phase,
        phases=np.array(pf.records, dtype=schema.PHASE, copy=True),
        env=np.array(np.reshape(pf.env, 1), dtype=schema.ENVIRONMENT, copy=True),
        tables=np.array(pf.tables, dtype=np.float64, copy=True),
        atm=np.array(us76_table(), dtype=np.float64, copy=True),
        phase_names=pf.phase_names,
    )


@numba.njit(error_model="numpy")
def _many(t, y, tp, phase_index, phases, envs, tables, atm, dy, aux):
    env = envs[0]
    for i in range(t.size):
        rhs(t[i], y[i], tp[i], phases[phase_index[i]], env, tables, atm, dy[i], aux[i])


@numba.njit(error_model="numpy")
def _loop(reps, t, y, tp, phase_index, phases, envs, tables, atm, dy, aux):
    env = envs[0]
    for _ in range(reps):
        for i in range(t.size):
            rhs(t[i], y[i], tp[i], phases[phase_index[i]], env, tables, atm, dy[i], aux[i])


#: The aux slots the right-hand side leaves untouched (numba and C alike):
#: ``equations.latitude_longitude`` fills them where a row or the summary keeps them.
#: Both sides' output arrays come from :func:`outputs`, so these columns stay NaN in both
#: and compare equal; every other slot is written by both.
AUX_NOT_WRITTEN = (schema.AUX_LAT, schema.AUX_LON)


def outputs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(dy, aux) arrays for ``n`` states, filled with NaN (a slot the right-hand side does
    not write stays NaN: :data:`AUX_NOT_WRITTEN`)."""
    return np.full((n, schema.NSTATE), np.nan), np.full((n, schema.NAUX), np.nan)


def numba_many(s: States, dy: np.ndarray, aux: np.ndarray) -> None:
    """dy[i], aux[i] = equations.rhs(...) at every state, from one compiled loop."""
    _many(s.t, s.y, s.tp, s.phase_index, s.phases, s.env, s.tables, s.atm, dy, aux)


def numba_loop(reps: int, s: States, dy: np.ndarray, aux: np.ndarray) -> None:
    """:func:`numba_many`, ``reps`` times in one compiled call (for timing)."""
    _loop(reps, s.t, s.y, s.tp, s.phase_index, s.phases, s.env, s.tables, s.atm, dy, aux)


def c_args(s: States) -> tuple:
    """The arguments of ``crhs_build.CRhs.many`` / ``loop`` after the outputs are added."""
    return (s.t, s.y, s.tp, s.phase_index, s.phases, s.env, s.tables, s.atm)


def differences(c: np.ndarray, ref: np.ndarray) -> dict:
    """Largest absolute and relative difference of ``c`` from ``ref`` (same shape), the
    relative one against max(|ref|, 1e-300) per element, and the share of values equal bit
    for bit. NaN in either counts as an infinite difference unless both are NaN."""
    both_nan = np.isnan(c) & np.isnan(ref)
    diff = np.where(both_nan, 0.0, np.abs(c - ref))
    diff = np.where(np.isnan(diff), np.inf, diff)
    # fmax, not maximum: a NaN in ref must not make the denominator NaN (diff is 0 or inf).
    rel = diff / np.fmax(np.abs(ref), 1e-300)
    same = (c.view(np.int64) == ref.view(np.int64)) | both_nan
    where = np.unravel_index(int(np.argmax(rel)), rel.shape) if rel.size else (0, 0)
    return {
        "max_abs": float(diff.max()),
        "max_rel": float(rel.max()),
        "worst": [int(i) for i in where],
        "bitwise_equal_share": float(same.mean()),
    }
