"""The error types of the library: one for bad input, raised with a one-line message."""


class InputError(ValueError):
    """The input is invalid; the message is one line naming the offending id or field."""
