"""Each Monte Carlo member's own random numbers, for many members at once.

Member ``i`` of a Monte Carlo with seed ``s`` draws its uniforms from
``numpy.random.default_rng([s, i]).random(k)``: its values depend on the seed and its label
only, so a sweep can fly members in any order, split or resumed. Making one generator per
member costs numpy about 15-25 us (a ``SeedSequence``, a ``PCG64`` and a ``Generator``, one
at a time), 8 % of a Monte Carlo of ``tw-glide-8000`` end to end.

:func:`member_uniforms` computes the same numbers for a whole array of members with numpy's
array arithmetic: the same ``SeedSequence`` hash (its entropy pool of four 32-bit words,
mixed and expanded as numpy does), the same ``PCG64`` seeding and stepping (128-bit linear
congruential state, XSL-RR output; M. E. O'Neill, "PCG: a family of simple fast
space-efficient statistically good algorithms for random number generation", HMC-CS-2014-0905)
and the same conversion to doubles (the top 53 bits). numpy stays the reference:
``tests/test_montecarlo.py`` compares them bit for bit, and members whose label needs more
than one 32-bit word go through numpy itself.
"""

from __future__ import annotations

import numpy as np

# numpy's SeedSequence constants (numpy/random/bit_generator.pyx).
_INIT_A = 0x43B0D7E5
_MULT_A = 0x931E8875
_INIT_B = 0x8B51F9DD
_MULT_B = 0x58F38DED
_MIX_MULT_L = np.uint32(0xCA01F9DD)
_MIX_MULT_R = np.uint32(0x4973F715)
_XSHIFT = np.uint32(16)
_POOL = 4
_M32 = 0xFFFFFFFF
# PCG's default 128-bit multiplier, as two 64-bit halves.
_MUL_HI = np.uint64(2549297995355413924)
_MUL_LO = np.uint64(4865540595714422341)
_LOW32 = np.uint64(_M32)
_S32 = np.uint64(32)


def _words(n: int) -> list[int]:
    """An integer's 32-bit words, least significant first ([0] for 0), as numpy's
    ``SeedSequence`` reads an entropy integer."""
    out = [n & _M32]
    n >>= 32
    while n:
        out.append(n & _M32)
        n >>= 32
    return out


class _Hash:
    """numpy's ``hashmix`` with its running constant (the same for every member)."""

    def __init__(self, init: int, mult: int) -> None:
        self.const = init
        self.mult = mult

    def __call__(self, value: np.ndarray) -> np.ndarray:
        value = value ^ np.uint32(self.const)
        self.const = (self.const * self.mult) & _M32
        value = value * np.uint32(self.const)
        return value ^ (value >> _XSHIFT)


def _mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    r = _MIX_MULT_L * x - _MIX_MULT_R * y
    return r ^ (r >> _XSHIFT)


def _seed_state(entropy: list[np.ndarray]) -> np.ndarray:
    """``SeedSequence(entropy).generate_state(4, uint64)`` for every member: (4, N) uint64.
    ``entropy``: the words, each an (N,) uint32 array."""
    hashmix = _Hash(_INIT_A, _MULT_A)
    zero = np.zeros_like(entropy[0])
    mixer = [hashmix(entropy[i] if i < len(entropy) else zero) for i in range(_POOL)]
    for i_src in range(_POOL):
        for i_dst in range(_POOL):
            if i_src != i_dst:
                mixer[i_dst] = _mix(mixer[i_dst], hashmix(mixer[i_src]))
    for i_src in range(_POOL, len(entropy)):
        for i_dst in range(_POOL):
            mixer[i_dst] = _mix(mixer[i_dst], hashmix(entropy[i_src]))
    out = _Hash(_INIT_B, _MULT_B)
    words = [out(mixer[i % _POOL]).astype(np.uint64) for i in range(2 * _POOL)]
    return np.stack([words[2 * j] | (words[2 * j + 1] << _S32) for j in range(_POOL)])


def _mul_hi64(a: np.ndarray, b: np.uint64) -> np.ndarray:
    """The high 64 bits of the 128-bit product of two 64-bit numbers."""
    a0, a1 = a & _LOW32, a >> _S32
    b0, b1 = b & _LOW32, b >> _S32
    p00, p01, p10, p11 = a0 * b0, a0 * b1, a1 * b0, a1 * b1
    mid = (p00 >> _S32) + (p01 & _LOW32) + (p10 & _LOW32)
    return p11 + (p01 >> _S32) + (p10 >> _S32) + (mid >> _S32)


class _PCG64:
    """numpy's ``PCG64`` for many members: the state and increment as 64-bit halves."""

    def __init__(self, seed: np.ndarray) -> None:
        # pcg64_set_seed: state = seed[0]:seed[1], stream = seed[2]:seed[3] (high:low).
        init_hi, init_lo = seed[0], seed[1]
        self.inc_hi = (seed[2] << np.uint64(1)) | (seed[3] >> np.uint64(63))
        self.inc_lo = (seed[3] << np.uint64(1)) | np.uint64(1)
        self.hi = np.zeros_like(init_hi)
        self.lo = np.zeros_like(init_lo)
        self._step()
        lo = self.lo + init_lo
        self.hi = self.hi + init_hi + (lo < init_lo).astype(np.uint64)
        self.lo = lo
        self._step()

    def _step(self) -> None:
        # state = state * multiplier + increment (mod 2^128)
        hi = _mul_hi64(self.lo, _MUL_LO) + self.lo * _MUL_HI + self.hi * _MUL_LO
        lo = self.lo * _MUL_LO
        new_lo = lo + self.inc_lo
        self.hi = hi + self.inc_hi + (new_lo < lo).astype(np.uint64)
        self.lo = new_lo

    def next_double(self) -> np.ndarray:
        self._step()
        x = self.hi ^ self.lo  # XSL-RR: xor the halves, rotate right by the top 6 bits
        r = self.hi >> np.uint64(58)
        out = (x >> r) | (x << ((np.uint64(64) - r) & np.uint64(63)))
        return (out >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def member_uniforms(seed: int, members: np.ndarray, k: int) -> np.ndarray:
    """(len(members), k): row i is ``numpy.random.default_rng([seed, members[i]]).random(k)``.

    ``seed`` a whole number >= 0; ``members`` whole numbers >= 0 (any integer array, or
    Python integers of any size). Labels below 2^32 are computed together; any other by numpy
    itself (which refuses a negative one).
    """
    members = np.asarray(members).reshape(-1)
    if members.dtype.kind in "iu":
        small = (members >= 0) & (members < 2**32)
    else:
        small = np.array([0 <= int(m) < 2**32 for m in members], dtype=bool)
    out = np.empty((members.size, k))
    if small.any():
        labels = np.array(
            [int(m) for m in members[small]] if members.dtype.kind == "O" else members[small]
        ).astype(np.uint32)
        seed_words = [np.full(labels.size, w, np.uint32) for w in _words(int(seed))]
        gen = _PCG64(_seed_state([*seed_words, labels]))
        cols = [gen.next_double() for _ in range(k)]
        out[small] = np.stack(cols, axis=1) if k else out[small]
    for j in np.flatnonzero(~small):
        out[j] = np.random.default_rng([int(seed), int(members[j])]).random(k)
    return out
