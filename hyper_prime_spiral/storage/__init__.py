"""Model files on disk: save/load a model directory (model_dir) and find models (search)."""

from hyper_prime_spiral.storage.errors import ModelFileError
from hyper_prime_spiral.storage.model_dir import load_model, save_model

__all__ = ["ModelFileError", "load_model", "save_model"]
