"""Sub-commands of the `hyper-prime-spiral` CLI: each module has `add_parser` and `run`."""


class UsageError(Exception):
    """Bad command-line input: printed as one line on stderr, exit status 2."""
