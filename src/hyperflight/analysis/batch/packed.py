"""The base flight and the arrays of its members.

:class:`PackedFlight`: one flight as the compiled kernel sees it (inertial start state,
PHASE and ENVIRONMENT records, tables) with the user-level objects it was packed from;
:class:`MemberArrays`: the working copy of N members' records while parameters are
applied; :func:`eci_states`: inertial start states of N members from InitialState fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hyperflight.core.flight import InitialState
from hyperflight.core.phases import Phase, pack_phases
from hyperflight.core.schema import TableWriter
from hyperflight.core.world import Atmosphere, check_environment, environment_record
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesy import geodetic_to_ecef_array, ned_to_ecef
from hyperflight.environment.wind import WindProfile

if TYPE_CHECKING:
    from hyperflight.mission.run import FlightResult
    from hyperflight.mission.scenario import Scenario


# Start-state columns a parameter may change (InitialState fields, user units).
START_FIELDS = (
    "latitude_deg",
    "longitude_deg",
    "altitude_m",
    "mass_kg",
    "speed_m_s",
    "flight_path_angle_deg",
    "heading_deg",
)


# ----------------------------------------------------------------------------- the base flight
@dataclass(frozen=True, eq=False)
class PackedFlight:
    """One flight as the compiled kernel sees it, with what is needed to vary it.

    ``y0``: inertial start state [x, y, z (m), vx, vy, vz (m/s), mass (kg)]; ``records``: the
    PHASE records (:mod:`hyperflight.core.schema`); ``env``: the ENVIRONMENT record (Earth,
    atmosphere, wind, density scale); ``tables``: the tables both refer to. ``initial``,
    ``phases``, ``earth``, ``atmosphere`` and ``wind`` are the user-level objects the records
    were packed from. The arrays are read-only.
    """

    initial: InitialState
    phases: tuple[Phase, ...]
    earth: EarthModel
    y0: np.ndarray
    records: np.ndarray
    env: np.ndarray
    tables: np.ndarray
    name: str = "flight"
    atmosphere: Atmosphere = None
    wind: WindProfile | None = None

    def __post_init__(self) -> None:
        for a in (self.y0, self.records, self.env, self.tables):
            a.setflags(write=False)

    @classmethod
    def pack(
        cls,
        initial: InitialState,
        phases: Sequence[Phase],
        y0: np.ndarray,
        *,
        earth: EarthModel,
        name: str,
        atmosphere: Atmosphere = None,
        wind: WindProfile | None = None,
    ) -> PackedFlight:
        """Pack phases, Earth, atmosphere and wind into records and tables."""
        phases = tuple(phases)
        writer = TableWriter()
        records, _ = pack_phases(phases, writer)
        env = environment_record(earth, writer, atmosphere=atmosphere, wind=wind)
        return cls(
            initial=initial,
            phases=phases,
            earth=earth,
            y0=np.asarray(y0, dtype=float),
            records=records,
            env=env,
            tables=writer.array(),
            name=name,
            atmosphere=atmosphere,
            wind=wind,
        )

    @classmethod
    def from_phases(
        cls,
        initial: InitialState,
        phases: Sequence[Phase],
        *,
        earth: EarthModel | None = None,
        atmosphere: Atmosphere = None,
        wind: WindProfile | None = None,
        name: str = "flight",
    ) -> PackedFlight:
        """Pack an initial state and its phases (exactly what :func:`~hyperflight.fly` flies)."""
        earth = earth or EarthModel.wgs84()
        check_environment("batch", earth, atmosphere, wind)
        return cls.pack(
            initial,
            phases,
            initial.eci_state(earth),
            earth=earth,
            name=name,
            atmosphere=atmosphere,
            wind=wind,
        )

    @classmethod
    def from_result(cls, result: FlightResult) -> PackedFlight:
        """The solved phases of a flown scenario, from the start state it was flown from.

        The start state is read from the first row of the solved trajectory (its inertial
        state is used bit for bit, so the nominal member flies exactly the solved flight).
        """
        tr = result.solution.trajectory
        earth = tr.earth
        y0 = np.array(
            [
                tr["eci_x_m"][0],
                tr["eci_y_m"][0],
                tr["eci_z_m"][0],
                tr["eci_vx_m_s"][0],
                tr["eci_vy_m_s"][0],
                tr["eci_vz_m_s"][0],
                tr["mass_kg"][0],
            ],
            dtype=float,
        )
        speed = float(tr["speed_m_s"][0])
        initial = InitialState(
            latitude_deg=float(tr["latitude_deg"][0]),
            longitude_deg=float(tr["longitude_deg"][0]),
            altitude_m=float(tr["altitude_m"][0]),
            mass_kg=float(tr["mass_kg"][0]),
            speed_m_s=speed,
            flight_path_angle_deg=float(tr["flight_path_angle_deg"][0]) if speed > 1e-6 else 0.0,
            heading_deg=float(tr["heading_deg"][0]) if speed > 1e-6 else 0.0,
        )
        return cls.pack(initial, result.solution.phases, y0, earth=earth, name=result.scenario.name)

    @classmethod
    def from_scenario(cls, scenario: Scenario | str | Path) -> PackedFlight:
        """Solve a scenario (a :class:`Scenario`, a built-in name or a file) and pack it."""
        from hyperflight.mission.run import run_scenario
        from hyperflight.mission.scenario import Scenario, load_scenario

        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        return cls.from_result(run_scenario(sc))

    def with_environment(
        self, *, atmosphere: Atmosphere = None, wind: WindProfile | None = None
    ) -> PackedFlight:
        """The same flight in another atmosphere and wind (None: US 1976, no wind)."""
        check_environment("batch", self.earth, atmosphere, wind)
        return PackedFlight.pack(
            self.initial,
            self.phases,
            self.y0.copy(),
            earth=self.earth,
            name=self.name,
            atmosphere=atmosphere,
            wind=wind,
        )

    @property
    def phase_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.phases)

    def phase_mask(self, names: Sequence[str] | None) -> np.ndarray:
        """Boolean mask over the phases: all phases for ``None``, else those named."""
        if names is None:
            return np.ones(len(self.phases), dtype=bool)
        known = self.phase_names
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError(
                f"phases {unknown} are not phases of {self.name!r}; its phases are: "
                + ", ".join(repr(n) for n in known)
            )
        return np.array([n in names for n in known], dtype=bool)


# --------------------------------------------------------------------- the arrays of members
@dataclass(eq=False)
class MemberArrays:
    """Working copy of N members' records while parameters are applied.

    Leading axis: member. ``y0`` (N, 7), ``phases`` (N, n_phases) PHASE records, ``env``
    (N,) ENVIRONMENT records; the tables are the base flight's, shared. ``start`` holds the
    start state in InitialState fields (deg, m, kg, m/s), one array (N,) each; a parameter
    that changes it sets ``start_changed`` and the inertial ``y0`` is rebuilt from it before
    flying. This object is private to the building of a batch; the flown result is frozen.
    """

    base: PackedFlight
    y0: np.ndarray
    phases: np.ndarray
    env: np.ndarray
    start: dict[str, np.ndarray]
    start_changed: bool = False

    @classmethod
    def nominal(cls, base: PackedFlight, n: int) -> MemberArrays:
        ini = base.initial
        return cls(
            base=base,
            y0=np.repeat(base.y0[None, :], n, axis=0),
            phases=np.repeat(base.records[None], n, axis=0),
            env=np.repeat(base.env.reshape(1), n, axis=0),
            start={f: np.full(n, float(getattr(ini, f))) for f in START_FIELDS},
        )

    @property
    def n(self) -> int:
        return int(self.y0.shape[0])

    def finish(self) -> None:
        """Rebuild the inertial start state from ``start`` where a parameter changed it."""
        if self.start_changed:
            self.y0 = eci_states(self.start, self.base.earth)
        else:
            self.y0[:, 6] = self.start["mass_kg"]


def eci_states(start: Mapping[str, np.ndarray], earth: EarthModel) -> np.ndarray:
    """Inertial start states (N, 7) from InitialState fields; vectorised ``eci_state``."""
    lat = np.radians(start["latitude_deg"])
    lon = np.radians(start["longitude_deg"])
    r = geodetic_to_ecef_array(lat, lon, start["altitude_m"], earth.equatorial_radius_m, earth.e2)
    g = np.radians(start["flight_path_angle_deg"])
    h = np.radians(start["heading_deg"])
    v = start["speed_m_s"]
    vned = np.stack([v * np.cos(g) * np.cos(h), v * np.cos(g) * np.sin(h), -v * np.sin(g)])
    vecef = ned_to_ecef(vned, lat, lon)
    om = earth.rotation_rate_rad_s
    out = np.empty((lat.size, 7))
    out[:, 0:3] = r.T
    out[:, 3] = vecef[0] - om * r[1]
    out[:, 4] = vecef[1] + om * r[0]
    out[:, 5] = vecef[2]
    out[:, 6] = start["mass_kg"]
    return out
