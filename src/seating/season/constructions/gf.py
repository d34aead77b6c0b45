"""Finite fields GF(q) for prime powers q, as addition and multiplication tables.

Elements are the integers ``0 .. q-1``: the base-p digits of an element are the coefficients
of a polynomial over GF(p), reduced modulo the first monic irreducible polynomial of degree k
found by trial (q = p ** k). Small q only (the tables are q x q); used by the affine-plane and
Latin-square constructions.
"""

from __future__ import annotations

from functools import cache

import numpy as np


def prime_power(q: int) -> tuple[int, int] | None:
    """``(p, k)`` with ``q = p ** k`` for a prime p, or ``None``."""
    if q < 2:
        return None
    for p in range(2, int(q**0.5) + 1):
        if q % p == 0:
            k = 0
            while q % p == 0:
                q //= p
                k += 1
            return (p, k) if q == 1 else None
    return (q, 1)


def _digits(x: int, p: int, k: int) -> list[int]:
    return [(x // p**i) % p for i in range(k)]


def _poly_mod(a: list[int], modulus: list[int], p: int) -> list[int]:
    """``a`` modulo a monic ``modulus`` (coefficient lists, lowest degree first)."""
    a = list(a)
    k = len(modulus) - 1
    for deg in range(len(a) - 1, k - 1, -1):
        c = a[deg] % p
        if c:
            for i in range(k + 1):
                a[deg - k + i] = (a[deg - k + i] - c * modulus[i]) % p
    return [c % p for c in a[:k]] + [0] * max(0, k - len(a))


def _poly_mul(a: list[int], b: list[int], p: int) -> list[int]:
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] = (out[i + j] + x * y) % p
    return out


def _irreducible(p: int, k: int) -> list[int]:
    """The first monic irreducible polynomial of degree k over GF(p) (trial division)."""
    if k == 1:
        return [0, 1]
    for tail in range(p**k):
        candidate = [*_digits(tail, p, k), 1]
        if candidate[0] == 0:
            continue
        # Reducible iff it has a monic factor of degree 1 .. k // 2.
        reducible = False
        for deg in range(1, k // 2 + 1):
            for low in range(p**deg):
                factor = [*_digits(low, p, deg), 1]
                if not any(_poly_mod(candidate, factor, p)):
                    reducible = True
                    break
            if reducible:
                break
        if not reducible:
            return candidate
    raise AssertionError(f"no irreducible polynomial of degree {k} over GF({p})")


@cache
def field(q: int) -> tuple[np.ndarray, np.ndarray]:
    """Addition and multiplication tables of GF(q), each ``(q, q)`` int64.

    Raises
    ------
    ValueError
        If q is not a prime power.
    """
    pk = prime_power(q)
    if pk is None:
        raise ValueError(f"{q} is not a prime power")
    p, k = pk
    modulus = _irreducible(p, k)
    digits = [_digits(x, p, k) for x in range(q)]

    def encode(coeffs: list[int]) -> int:
        return sum(int(c) * p**i for i, c in enumerate(coeffs))

    add = np.empty((q, q), dtype=np.int64)
    mul = np.empty((q, q), dtype=np.int64)
    for x in range(q):
        for y in range(q):
            add[x, y] = encode([(a + b) % p for a, b in zip(digits[x], digits[y], strict=True)])
            mul[x, y] = encode(_poly_mod(_poly_mul(digits[x], digits[y], p), modulus, p))
    add.setflags(write=False)
    mul.setflags(write=False)
    return add, mul
