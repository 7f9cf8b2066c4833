"""Lift and drag coefficients of a phase's aerodynamic model (compiled).

Models (``schema.AERO_*``): none (vacuum), constant CL and CD, a bilinear table in Mach and
angle of attack, or polynomials in angle of attack (rad) and Mach. The phase's ``lift_scale``
and ``drag_scale`` multiply the model's coefficients.
"""

from __future__ import annotations

from hyperflight._jit import kernel, public
from hyperflight.core.interpolate import bilinear, bracket
from hyperflight.core.schema import (
    AERO_CONSTANT,
    AERO_POLYNOMIAL,
    AERO_TABLE,
    aero_polynomial_layout,
    aero_table_layout,
)


@kernel
def _table(tables, off, mach, alpha):
    nm, na, m0, a0, cl0, cd0, mirror = aero_table_layout(tables, off)
    sign = 1.0
    a = alpha
    if mirror and a < 0.0:
        # A symmetric body: CL odd, CD even in alpha (the table starts at alpha 0, CL(0) = 0).
        sign = -1.0
        a = -a
    im, wm = bracket(mach, tables, m0, nm)
    ia, wa = bracket(a, tables, a0, na)
    cl = bilinear(tables, cl0, na, nm, ia, wa, im, wm)
    return sign * cl, bilinear(tables, cd0, na, nm, ia, wa, im, wm)


@kernel
def _polynomial(tables, off, mach, alpha):
    na, nm, a_lo, a_hi, m_lo, m_hi, cl0, cd0 = aero_polynomial_layout(tables, off)
    a = min(max(alpha, a_lo), a_hi)
    m = min(max(mach, m_lo), m_hi)
    cl_v = 0.0
    cd_v = 0.0
    ai = 1.0
    for i in range(na):
        mj = 1.0
        for j in range(nm):
            cl_v += tables[cl0 + i * nm + j] * ai * mj
            cd_v += tables[cd0 + i * nm + j] * ai * mj
            mj *= m
        ai *= a
    return cl_v, cd_v


@public
def coefficients(phase, tables, mach, alpha):
    """(CL, CD) of the phase's model at this Mach number and angle of attack (rad)."""
    model = phase.aero_model
    if model == AERO_CONSTANT:
        cl, cd = phase.cl, phase.cd
    elif model == AERO_TABLE:
        cl, cd = _table(tables, phase.aero_table, mach, alpha)
    elif model == AERO_POLYNOMIAL:
        cl, cd = _polynomial(tables, phase.aero_table, mach, alpha)
    else:
        return 0.0, 0.0
    return cl * phase.lift_scale, cd * phase.drag_scale
