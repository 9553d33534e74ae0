"""The one error type for every problem with a model on disk."""

from __future__ import annotations


class ModelFileError(ValueError):
    """A model directory cannot be saved or loaded; the message names the file and the problem.

    One type so the app and the CLI can show any storage problem as a single line
    (status bar, or `error: ...` with exit status 2) instead of a traceback.
    """
