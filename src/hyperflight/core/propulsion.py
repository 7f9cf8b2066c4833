"""Thrust and propellant mass flow of a phase (compiled).

Constant thrust with its mass flow, or an air-breather: throttle x a maximum-thrust table in
Mach and altitude, Isp against Mach, no thrust outside the engine's Mach band. The phase's
``thrust_scale`` multiplies thrust and mass flow (same Isp); ``isp_scale`` divides the mass
flow (more Isp, less propellant for the same thrust).
"""

from __future__ import annotations

from hyperflight._jit import kernel
from hyperflight.core.interpolate import bilinear, bracket, linear
from hyperflight.core.schema import THRUST_TABLE, thrust_table_layout
from hyperflight.environment.constants import G0_M_S2


@kernel
def _table(tables, off, mach, alt, throttle):
    nm, na, m0, h0, f0, i0, mach_min, mach_max = thrust_table_layout(tables, off)
    if mach < mach_min or mach > mach_max or throttle <= 0.0:
        return 0.0, 0.0
    im, wm = bracket(mach, tables, m0, nm)
    ia, wa = bracket(alt, tables, h0, na)
    thrust = throttle * bilinear(tables, f0, na, nm, ia, wa, im, wm)
    return thrust, thrust / (linear(tables, i0, nm, im, wm) * G0_M_S2)


@kernel
def thrust_and_mass_flow(phase, tables, mach, alt, throttle):
    """(thrust N, propellant mass flow kg/s) of the phase at this Mach, altitude, throttle."""
    if phase.thrust_model == THRUST_TABLE:
        thrust, mdot = _table(tables, phase.thrust_table, mach, alt, throttle)
    else:
        thrust, mdot = phase.thrust_n, phase.mass_flow_kg_s
    if thrust == 0.0 and mdot == 0.0:
        return 0.0, 0.0
    s = phase.thrust_scale
    return thrust * s, mdot * s / phase.isp_scale
