"""The error types of the library: one for bad input, raised with a one-line message."""


class InputError(ValueError):
    """The input is invalid; the message is one line naming the offending id or field."""


def check_seed(seed: int) -> None:
    """Raise :class:`InputError` for a negative seed (any non-negative one is fine: the
    generators take it modulo their state size)."""
    if seed < 0:
        raise InputError(f"seed: must be a non-negative integer (got {seed})")
