"""The error a command reports as one line and a non-zero exit, instead of a traceback."""


class StartupError(Exception):
    """Something in the environment or configuration keeps OMS from starting."""
