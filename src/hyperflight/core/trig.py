"""Sine and cosine of one angle for the compiled right-hand side, without a libm call.

For |x| <= pi/4 both come from their Taylor series (through x^17 for the sine, x^18 for the
cosine; the first omitted terms are below 9e-20 and 3e-21), evaluated in x^2 by Horner's rule:
within 1.1 ulp of the exact values (measured 0.66 ulp for the sine, 1.07 for the cosine;
``tests/test_trig.py`` checks this in 40 digits). Beyond
pi/4 they are ``math.sin`` and ``math.cos``.

Why: the right-hand side turns the Earth by its rotation angle (about 0.13 rad after 30 minutes
of flight) and the lift by the bank angle in every evaluation. As a call into libm, a sine and
cosine cost about 20 ns of a 200-ns evaluation and the call stands in the way of the
processor's overlapping them with the rest; inline, the rotation angle's (which depends on the
time alone) runs beside the geodetic altitude (``benchmarks/README.md``: a Monte Carlo flight
about 5 % faster).
"""

from __future__ import annotations

import math

from hyperflight._jit import kernel

QUARTER_PI = math.pi / 4.0
# sin x = x + x^3 (S1 + x^2 (S2 + ...)), cos x = 1 + x^2 (C1 + x^2 (C2 + ...)).
S1, S2, S3, S4 = -1.0 / 6.0, 1.0 / 120.0, -1.0 / 5040.0, 1.0 / 362880.0
S5, S6 = -1.0 / 39916800.0, 1.0 / 6227020800.0
S7, S8 = -1.0 / 1307674368000.0, 1.0 / 355687428096000.0
C1, C2, C3, C4, C5 = -0.5, 1.0 / 24.0, -1.0 / 720.0, 1.0 / 40320.0, -1.0 / 3628800.0
C6, C7, C8, C9 = (
    1.0 / 479001600.0,
    -1.0 / 87178291200.0,
    1.0 / 20922789888000.0,
    -1.0 / 6402373705728000.0,
)


@kernel
def sin_cos(x):
    """(sin x, cos x) of an angle in radians (see the module's docstring)."""
    if abs(x) <= QUARTER_PI:
        u = x * x
        s = S7 + u * S8
        s = S6 + u * s
        s = S5 + u * s
        s = S4 + u * s
        s = S3 + u * s
        s = S2 + u * s
        s = S1 + u * s
        c = C8 + u * C9
        c = C7 + u * c
        c = C6 + u * c
        c = C5 + u * c
        c = C4 + u * c
        c = C3 + u * c
        c = C2 + u * c
        c = C1 + u * c
        return x + x * u * s, 1.0 + u * c
    return math.sin(x), math.cos(x)
