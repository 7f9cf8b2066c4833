"""A tour of hyperflight in Python, in cells (``# %%``): open it in Jupyter (jupytext), VS Code
or Spyder and run it cell by cell, or run it whole with ``python docs/tour.py``.

It flies a built-in scenario, shows the short summaries a notebook displays, draws figures
(returned as matplotlib Figures; saved here only into a temporary folder), turns the flight
into an xarray Dataset, checks a public claim and runs a tiny batch and Monte Carlo. It takes
well under a minute on two cores.
"""

# %% Fly a built-in scenario: the 6 Jan 2025 test as South Korea and Japan reported it
import tempfile
from pathlib import Path

from hyperflight.analysis.batch import PackedFlight, run_batch
from hyperflight.analysis.claims import check_claim, resolve_preset
from hyperflight.analysis.montecarlo import Normal, run_monte_carlo
from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import load_scenario

result = run_scenario(load_scenario("nk-2025-rok-japan"))
traj = result.trajectory
print(traj)  # a few lines; in a notebook, `traj` alone shows a small table
print(f"{result.vehicle.name}: {len(traj)} samples, columns like {list(traj.columns)[:4]}")

# %% Key figures (SI units, the unit in every key)
summary = traj.summary()
print(f"apogee {summary['apogee_m'] / 1000:.1f} km, max Mach {summary['max_mach']:.1f}")

# %% Figures: altitude against downrange, speed and Mach against time
fig = traj.plot()  # a matplotlib Figure; nothing is written unless you save it
with tempfile.TemporaryDirectory(prefix="hyperflight-tour-") as out:
    fig.savefig(Path(out) / "profile.png")
    print("saved profile.png,", (Path(out) / "profile.png").stat().st_size, "bytes")

# %% The flight as an xarray Dataset: time coordinate, units on every variable
ds = traj.to_xarray()
print(ds["altitude_m"].attrs["units"], ds["speed_m_s"].attrs["units"], ds.sizes["time_s"])

# %% Check the claim against one vehicle type (presets answer to the scenario's name too)
claim = resolve_preset("nk-2025-rok-japan")
report = check_claim(claim, vehicles={"ballistic": "irbm-2stage"})
print(report)

# %% A tiny batch: three drag scales (member i takes the i-th value of each list)
base = PackedFlight.from_result(result)
batch = run_batch(base, {"drag_scale": [0.9, 1.0, 1.1]})
print(batch)
print(batch.summary[["drag_scale", "flight_time_s", "ground_range_m", "ok"]])
batch_fig = batch.plot()  # end points of the members

# %% A tiny Monte Carlo: 20 members, drag dispersed, reproducible from its seed
mc = run_monte_carlo(base, {"drag_scale": Normal(mean=1.0, std=0.05)}, n_members=20, seed=1)
print(mc)
print(mc.dispersion()["cep_km"], "km CEP")
