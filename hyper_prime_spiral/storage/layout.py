"""Which tensor lives in which file of a model directory (see docs/model-files.md).

One file per transformer layer keeps each file small enough to checksum and load in one
read, and lets a reader see the model's structure with `ls`.
"""

from __future__ import annotations

from hyper_prime_spiral.model.bpe import TOKENIZER_FILE
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout, TensorSlot

FORMAT_NAME = "hyper-prime-spiral-model"
FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
EMBEDDINGS_FILE = "embeddings.safetensors"
HEAD_FILE = "head.safetensors"
OPTIMIZER_FILE = "optimizer.safetensors"
BLOCK_FILE_PREFIX = "block_"
TENSOR_SUFFIX = ".safetensors"
#: Files a tokenizer may keep next to config.json (BPE: the standard tokenizer.json).
TOKENIZER_FILES = (TOKENIZER_FILE,)


def block_file(layer: int) -> str:
    return f"{BLOCK_FILE_PREFIX}{layer:03d}{TENSOR_SUFFIX}"


def block_file_layer(filename: str) -> int | None:
    """The layer number of a `block_NNN.safetensors` name, or None for any other name."""
    if not (filename.startswith(BLOCK_FILE_PREFIX) and filename.endswith(TENSOR_SUFFIX)):
        return None
    digits = filename[len(BLOCK_FILE_PREFIX) : -len(TENSOR_SUFFIX)]
    return int(digits) if digits.isdigit() else None


def file_of_tensor(name: str) -> str:
    """The file that stores parameter `name` (names as in model/params.py)."""
    if name.startswith("embed."):
        return EMBEDDINGS_FILE
    if name.startswith("head."):
        return HEAD_FILE
    if name.startswith("block."):
        return block_file(int(name.split(".")[1]))
    raise ValueError(f"no file holds tensor {name!r}")


def parameter_files(config: ModelConfig) -> dict[str, list[TensorSlot]]:
    """File name -> the parameter slots it holds, in file order (embeddings, blocks, head)."""
    groups: dict[str, list[TensorSlot]] = {}
    for slot in ParamLayout(config):
        groups.setdefault(file_of_tensor(slot.name), []).append(slot)
    return groups


def optimizer_tensor_names(param_name: str) -> tuple[str, str]:
    """Names of the AdamW first and second moments of one parameter in optimizer.safetensors."""
    return f"m.{param_name}", f"v.{param_name}"
