"""Sine and cosine of one angle, and the arctangent of a ratio, for the compiled right-hand
side without a libm call.

Sine and cosine (:func:`sin_cos`).

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

Arctangent (:func:`atan2`), the angle of the point (x, y) in [-pi, pi] as ``math.atan2``. With
a <= b the smaller and larger of |x|, |y|, one division reduces it to |u| <= 9/16: u = a/b
while a <= 9/16 b, (a - b)/(a + b) (an exact difference) around pi/4 while a < 2 b, -b/a
beyond. Then atan u = u + u^3 P(u^2), P of degree 12 by Estrin's scheme (coefficients: the
polynomial through P's values at 13 Chebyshev nodes of [0, (9/16)^2], computed in 60 digits
and rounded to double; its own error is below 2e-17 of atan u). The base angle (0, pi/4 or
pi/2, and pi for x < 0) is added as a two-part constant. Within 1.5 ulp of the exact angle
(measured 1.45; ``tests/test_trig.py`` checks this in 40 digits). Zeros, infinities and NaN
go to ``math.atan2``, as do magnitudes below 1e-150 or above 1e150.

Why: libm's ``atan2`` costs about 35 ns (it rounds correctly, with slow paths); the steering
toward a target takes one in every right-hand side (the bearing error), the distance to it
another, and the dive's flight path command a third.
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


# atan2 takes its own path for |x| and |y| within (TINY, HUGE); libm's beyond.
TINY, HUGE = 1e-150, 1e150
# pi/4, pi/2 and pi as a double and the remainder (hi + lo within 1e-33).
QUARTER_PI_LO = 3.061616997868383e-17
HALF_PI_HI, HALF_PI_LO = 1.5707963267948966, 6.123233995736766e-17
PI_HI, PI_LO = 3.141592653589793, 1.2246467991473532e-16
# atan u = u + u^3 (A0 + s (A1 + ... + s A12)), s = u^2, |u| <= 9/16.
A0, A1 = -0.33333333333333326, 0.19999999999993817
A2, A3 = -0.14285714284615242, 0.11111111034072228
A4, A5, A6, A7 = (
    -0.09090906273588693,
    0.07692246065252599,
    -0.06665795596844228,
    0.05874025305356127,
)
A8, A9, A10 = -0.05207896427682391, 0.04504390549683778, -0.035048653504961474
A11, A12 = 0.020762834510706228, -0.00659730408340536


@kernel
def atan2(y, x):
    """The angle (rad, in [-pi, pi]) of the point (x, y) from the x axis: ``math.atan2``
    within 1.5 ulp (see the module's docstring)."""
    ax = abs(x)
    ay = abs(y)
    if not (TINY < ax < HUGE and TINY < ay < HUGE):
        # Zeros, infinities, NaN: libm's conventions (signed zeros, +-pi, +-pi/2); and
        # magnitudes where 9/16 of one or the sum of both would not be exact or finite.
        return math.atan2(y, x)
    if ay <= 0.5625 * ax:
        u = ay / ax
        hi = 0.0
        lo = 0.0
    elif ay < 2.0 * ax:
        # a - b is exact here (Sterbenz): u has the rounding of the sum and the quotient only;
        # the angle is at least atan(9/16) > 1/2, so no result falls a binade below pi/4.
        u = (ay - ax) / (ay + ax)
        hi = QUARTER_PI
        lo = QUARTER_PI_LO
    else:
        u = -ax / ay
        hi = HALF_PI_HI
        lo = HALF_PI_LO
    # P(s) by Estrin's scheme: pairs, then pairs of pairs (a short chain of dependent
    # operations, where Horner's rule would be 12 multiply-adds one after the other).
    s = u * u
    s2 = s * s
    s4 = s2 * s2
    q0 = (A0 + A1 * s) + (A2 + A3 * s) * s2
    q1 = (A4 + A5 * s) + (A6 + A7 * s) * s2
    q2 = (A8 + A9 * s) + (A10 + A11 * s) * s2
    p = (q0 + q1 * s4) + (q2 + A12 * s4) * (s4 * s4)
    r = hi + (lo + (u + u * s * p))
    if x < 0.0:
        r = PI_HI - r + PI_LO
    return -r if y < 0.0 else r
