"""The error types of the library: one for bad input, raised with a one-line message."""


class InputError(ValueError):
    """The input is invalid; the message is one line naming the offending id or field."""


MAX_SEED = 2**63 - 1
"""The largest seed: the compiled searches keep their random state in 64-bit integers."""


def check_seed(seed: int) -> None:
    """Raise :class:`InputError` unless ``seed`` is an integer in ``0 .. MAX_SEED``."""
    if not 0 <= seed <= MAX_SEED:
        raise InputError(f"seed: must be an integer from 0 to 2**63 - 1 (got {seed})")
