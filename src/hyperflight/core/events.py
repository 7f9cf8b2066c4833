"""Event functions: an event happens where its function crosses zero (``schema.EV_*``)."""

from __future__ import annotations

import math

from hyperflight._jit import kernel, public
from hyperflight.core.schema import (
    AUX_ALT,
    AUX_MACH,
    AUX_SPEED,
    AUX_TGT_DIST,
    AUX_VUP,
    DIR_FALLING,
    DIR_RISING,
    EV_ALTITUDE,
    EV_APOGEE,
    EV_BURNOUT,
    EV_FLIGHT_PATH_ANGLE,
    EV_IMPACT,
    EV_MACH,
    EV_SPEED,
    EV_TARGET_DISTANCE,
    EV_TARGET_ELEVATION,
    EV_TIME,
    EV_TIME_IN_PHASE,
    STATE_MASS,
)


@public
def event_value(kind, value, t, tp, y, aux):
    """The event function g of ``kind`` with threshold ``value`` at this point."""
    if kind == EV_TIME_IN_PHASE:
        return tp - value
    if kind == EV_TIME:
        return t - value
    if kind == EV_ALTITUDE:
        return aux[AUX_ALT] - value
    if kind == EV_IMPACT:
        return aux[AUX_ALT]
    if kind == EV_APOGEE:
        return aux[AUX_VUP]
    if kind == EV_MACH:
        return aux[AUX_MACH] - value
    if kind == EV_SPEED:
        return aux[AUX_SPEED] - value
    if kind == EV_BURNOUT:
        return y[STATE_MASS] - value
    if kind == EV_TARGET_DISTANCE:
        return aux[AUX_TGT_DIST] - value
    if kind == EV_TARGET_ELEVATION:
        return math.atan2(max(aux[AUX_ALT], 0.0), aux[AUX_TGT_DIST]) - value
    if kind == EV_FLIGHT_PATH_ANGLE:
        v = aux[AUX_SPEED]
        if v <= 0.0:
            return -value
        return math.asin(max(-1.0, min(1.0, aux[AUX_VUP] / v))) - value
    return 1.0


@kernel
def needs_air_data(kind):
    """True for the events whose function needs the air data of the full right-hand side (a
    Mach number); the others read only what follows from the state
    (:func:`hyperflight.core.equations.kinematics`)."""
    return kind == EV_MACH


@kernel
def crossed(g0, g1, direction):
    """True when g went from g0 to g1 across zero in the event's direction (``DIR_*``)."""
    if direction == DIR_FALLING:
        return g0 > 0.0 and g1 <= 0.0
    if direction == DIR_RISING:
        return g0 < 0.0 and g1 >= 0.0
    return (g0 > 0.0 and g1 <= 0.0) or (g0 < 0.0 and g1 >= 0.0)


@public
def passed_at_start(kind, g):
    """True for a terminal event that is already past when its phase begins (a target
    distance, a burnout mass or a target depression angle already reached): the phase then
    ends at once, so a chain of phases that share such an event falls through to the one
    after them."""
    if kind == EV_TARGET_ELEVATION:
        return g >= 0.0
    return (kind == EV_TARGET_DISTANCE or kind == EV_BURNOUT) and g <= 0.0
