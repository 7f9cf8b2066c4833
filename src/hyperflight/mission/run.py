"""Run a scenario: load its vehicle, solve the targeting for its shape, fly, add heating.

``run_scenario`` is the one entry point behind ``hyperflight fly``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hyperflight.core.flight import InitialState
from hyperflight.core.trajectory import Trajectory
from hyperflight.environment import geodesic
from hyperflight.environment.constants import EARTH_MEAN_RADIUS_M
from hyperflight.environment.earth import EarthModel
from hyperflight.guidance.shapes import CruiseShape, GlideShape
from hyperflight.mission.scenario import Scenario
from hyperflight.mission.targeting import Solution, solve_ballistic, solve_steered
from hyperflight.vehicle.aerothermal import heating_columns
from hyperflight.vehicle.files import load_vehicle
from hyperflight.vehicle.model import Vehicle

# Thrust elevation held by an air-launched first stage of a steered vehicle when the shape
# gives none, deg (assumption: a ground launch pitches over from the vertical to 15 deg, an air
# launch starts level at low speed and must climb out of the dense air first; at 15 deg the
# first stage of an air-launched glider does not climb and the next one flies it into the sea).
AIR_LAUNCH_KICK_DEG = 30.0


@dataclass(frozen=True)
class FlightResult:
    """A flown scenario: the trajectory, the heating columns, the solution and a summary."""

    scenario: Scenario
    vehicle: Vehicle
    solution: Solution
    heating: dict[str, np.ndarray]

    @property
    def trajectory(self) -> Trajectory:
        return self.solution.trajectory

    def summary(self) -> dict[str, Any]:
        """Summary of the flight (SI units, unit in every key) with heating and targeting."""
        s = self.trajectory.summary()
        h = self.heating
        i = int(np.argmax(h["heat_flux_w_m2"]))
        t = self.trajectory["time_s"]
        below_100 = _time_in_band(t, self.trajectory["altitude_m"], 0.0, 100_000.0)
        s.update(
            scenario=self.scenario.name,
            vehicle=self.vehicle.name,
            vehicle_kind=self.vehicle.kind,
            shape=self.scenario.shape.type,
            target_latitude_deg=self.solution_target[0],
            target_longitude_deg=self.solution_target[1],
            target_range_m=self.solution.target_range_m,
            miss_distance_m=self.solution.miss_m,
            launch_azimuth_deg=self.solution.boost.azimuth_deg,
            kick_elevation_deg=self.solution.boost.kick_elevation_deg,
            last_stage_cutoff_fraction=self.solution.boost.cutoff_fraction,
            solve_time_s=self.solution.solve_time_s,
            solver_flights=self.solution.evaluations,
            peak_heat_flux_w_m2=float(h["heat_flux_w_m2"][i]),
            peak_heat_flux_time_s=float(t[i]),
            peak_heat_flux_altitude_m=float(self.trajectory["altitude_m"][i]),
            peak_stagnation_temperature_k=_peak_or_none(h["stagnation_temperature_k"]),
            heat_load_j_m2=float(h["heat_load_j_m2"][-1]),
            time_below_100_km_s=below_100,
            sources=list(self.scenario.sources),
        )
        return s

    @property
    def solution_target(self) -> tuple[float, float]:
        return self.scenario.target_point()


def _peak_or_none(values: np.ndarray) -> float | None:
    """The largest defined (non-NaN) value, or None when none is defined (e.g. the stagnation
    temperature of a flight that never meets air: see ``heating_columns``)."""
    v = np.asarray(values, dtype=float)
    defined = v[~np.isnan(v)]
    return float(np.max(defined)) if defined.size else None


def _time_in_band(t: np.ndarray, alt: np.ndarray, lo: float, hi: float) -> float:
    inside = ((alt >= lo) & (alt < hi)).astype(float)
    return float(np.sum(0.5 * (inside[1:] + inside[:-1]) * np.diff(t)))


def earth_model(name: str) -> EarthModel:
    if name == "wgs84":
        return EarthModel.wgs84()
    return EarthModel.sphere(EARTH_MEAN_RADIUS_M, rotating=False)


def run_scenario(scenario: Scenario, *, vehicle: Vehicle | None = None) -> FlightResult:
    """Solve and fly a scenario (``vehicle`` overrides the scenario's vehicle)."""
    veh = vehicle or load_vehicle(scenario.vehicle)
    earth = earth_model(scenario.earth)
    target = scenario.target_point()
    sh = scenario.shape
    if scenario.launch is not None:
        lp = scenario.launch
        start = InitialState(
            latitude_deg=lp.latitude_deg,
            longitude_deg=lp.longitude_deg,
            altitude_m=lp.altitude_m,
            mass_kg=veh.launch_mass_kg,
        )
    else:
        st = scenario.initial_state
        assert st is not None
        heading = st.heading_deg
        if st.speed_m_s > 0 and heading == 0.0:
            heading = geodesic.inverse(
                st.latitude_deg,
                st.longitude_deg,
                *target,
                a_m=earth.equatorial_radius_m,
                f=earth.flattening,
            )[1]
        start = InitialState(
            latitude_deg=st.latitude_deg,
            longitude_deg=st.longitude_deg,
            altitude_m=st.altitude_m,
            mass_kg=veh.launch_mass_kg,
            speed_m_s=st.speed_m_s,
            flight_path_angle_deg=st.flight_path_angle_deg,
            heading_deg=heading,
        )
    if sh.type in ("minimum-energy", "lofted", "depressed", "burnout"):
        if veh.kind != "ballistic":
            raise ValueError(
                f"shape {sh.type!r} is for ballistic vehicles; {veh.name} is {veh.kind} "
                "(use shape type 'glide' or 'cruise')"
            )
        sol = solve_ballistic(
            veh,
            start,
            target,
            shape=sh.type,
            apogee_m=sh.apogee_m,
            final_elevation_deg=sh.final_elevation_deg,
            burnout_speed_m_s=sh.burnout_speed_m_s if sh.type == "burnout" else None,
            earth=earth,
            output_step_s=scenario.output_step_s,
        )
    else:
        expected = "boost-glide" if sh.type == "glide" else "cruise"
        if veh.kind != expected:
            raise ValueError(
                f"shape {sh.type!r} needs a {expected} vehicle; {veh.name} is {veh.kind}"
            )
        glide = cruise = None
        if sh.type == "glide":
            given = {
                k: v
                for k, v in (
                    ("pull_up_alpha_deg", sh.pull_up_alpha_deg),
                    ("damping", sh.damping),
                    ("skip_alpha_deg", sh.skip_alpha_deg),
                    ("dive_distance_m", sh.dive_distance_m),
                    ("dive_depression_deg", sh.dive_depression_deg),
                )
                if v is not None
            }
            glide = GlideShape(
                pull_up_altitude_m=sh.pull_up_altitude_m,
                glide_alpha_deg=sh.glide_alpha_deg,
                reversal_times_s=sh.reversal_times_s,
                reversal_bank_deg=sh.reversal_bank_deg,
                **given,
            )
        else:
            assert sh.cruise_altitude_m is not None and sh.cruise_mach is not None
            cruise = CruiseShape(
                altitude_m=sh.cruise_altitude_m,
                mach=sh.cruise_mach,
                dive_distance_m=sh.dive_distance_m or 80_000.0,
                boost_apex_m=sh.first_apex_m,
            )
        fin = sh.final_elevation_deg
        if fin is None and sh.type == "glide":
            fin = -20.0
        sol = solve_steered(
            veh,
            start,
            target,
            kick_elevation_deg=(
                sh.kick_elevation_deg
                if sh.kick_elevation_deg is not None
                else (AIR_LAUNCH_KICK_DEG if start.speed_m_s > 0.0 else 15.0)
            ),
            final_elevation_deg=fin,
            burnout_speed_m_s=sh.burnout_speed_m_s,
            glide=glide,
            cruise=cruise,
            first_apex_m=sh.first_apex_m,
            earth=earth,
            output_step_s=scenario.output_step_s,
        )
    p = veh.payload
    tr = sol.trajectory
    heat = heating_columns(
        tr["time_s"], tr["density_kg_m3"], tr["speed_m_s"], p.nose_radius_m, p.emissivity
    )
    return FlightResult(scenario=scenario, vehicle=veh, solution=sol, heating=heat)
