"""NASA NESC atmospheric check-cases 1, 4, 6, 9 against the published tools' time histories.

At every recorded time (0.1 s) each quantity must lie within the min-max envelope of the NASA
simulation tools, widened by the margin stated in ``ENVELOPE_MARGIN`` (recording precision;
far below the tools' own spread). Reference: NASA/TM-2015-218675 Vol. II data.
"""

from __future__ import annotations

import numpy as np
import pytest

from hyperflight.validation.nesc import (
    CASES,
    FOOT_M,
    QUANTITIES,
    excess_outside,
    nesc_flight,
    read_sim_files,
)
from hyperflight.validation.report import nesc_envelope, run_validation


@pytest.fixture(scope="module")
def flights():
    return {n: nesc_flight(n, output_step_s=0.1) for n in CASES}


@pytest.mark.parametrize("number", sorted(CASES))
@pytest.mark.parametrize("quantity", list(QUANTITIES))
def test_inside_nasa_tools_envelope(reference_dir, flights, number: int, quantity: str) -> None:
    sims = read_sim_files(reference_dir / "nesc", number)
    have = [s for s in sims.values() if quantity in s]
    assert len(have) >= 3, "the envelope needs several tools"
    t_ref = have[0]["time_s"]
    assert t_ref.size == 301
    ref = np.stack([np.interp(t_ref, s["time_s"], s[quantity]) for s in have])
    traj = flights[number]
    ours = np.interp(t_ref, traj["time_s"], traj[quantity])
    excess, allowed = excess_outside(ours, ref.min(0), ref.max(0), quantity)
    worst = int(np.argmax(excess - allowed))
    assert np.all(excess <= allowed), (
        f"case {number} {quantity} at t={t_ref[worst]:.1f} s: {ours[worst]!r} is "
        f"{excess[worst]:.3g} outside [{ref.min(0)[worst]!r}, {ref.max(0)[worst]!r}] "
        f"(allowed {allowed[worst]:.3g})"
    )


def test_readme_end_states(flights) -> None:
    """End states quoted in the reference README (SIM 05 at 30 s), to 0.5 ft and 0.05 ft/s."""
    expect = {
        1: (15598.90435, 960.2930645),
        4: (16231.30691, 867.1047769),
        6: (16284.44475, 864.0107594),
        9: (10160.97931, 181.7485866),
    }
    for n, (alt_ft, vdown_ft_s) in expect.items():
        tr = flights[n]
        assert tr["altitude_m"][-1] / FOOT_M == pytest.approx(alt_ft, abs=0.5)
        assert tr["v_down_m_s"][-1] / FOOT_M == pytest.approx(vdown_ft_s, abs=0.05)
    assert flights[9]["longitude_deg"][-1] == pytest.approx(0.06164781332, abs=1e-6)


def test_shipped_envelope_matches_reference_files(reference_dir) -> None:
    """The compact envelope in the package is what the published files say."""
    env = nesc_envelope()
    for n in CASES:
        sims = read_sim_files(reference_dir / "nesc", n)
        for q in QUANTITIES:
            t, lo, hi = env[(n, q)]
            vals = []
            for s in sims.values():
                if q in s:
                    j = np.searchsorted(s["time_s"], 17.0 - 1e-3)
                    vals.append(s[q][j])
            k = int(np.argmin(np.abs(t - 17.0)))
            assert lo[k] == min(vals) and hi[k] == max(vals)


def test_validation_report_passes() -> None:
    checks = run_validation()
    assert len(checks) >= 40
    failed = [c for c in checks if not c.passed]
    assert not failed, failed
