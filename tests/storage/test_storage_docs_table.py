"""docs/model-files.md's tensor table names every tensor the code stores, with its shape."""

from __future__ import annotations

import re
from pathlib import Path

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout

DOC = Path(__file__).resolve().parents[2] / "docs" / "model-files.md"


def _size(symbol: str, sizes: dict[str, int]) -> int:
    """ "d", "V", "T", "h", "P", a multiple such as "3d", or a number such as "11"."""
    if symbol.isdigit():
        return int(symbol)
    factor, name = re.fullmatch(r"(\d*)(\w)", symbol).groups()
    return int(factor or 1) * sizes[name]


def documented_tensors(sizes: dict[str, int]) -> dict[str, tuple[int, ...]]:
    """Rows like "| `block.i.mlp.in.weight`, `.bias` | (d, h), (h,) | ..." expanded for layer 0."""
    tensors: dict[str, tuple[int, ...]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names: list[str] = []
        for name in re.findall(r"`([^`]+)`", cells[0]):
            if name.startswith("."):  # `.bias` after `block.i.attn.out.weight`
                name = names[-1].rsplit(".", 1)[0] + name
            names.append(name.replace("block.i.", "block.0."))
        shapes = [
            tuple(_size(dim, sizes) for dim in re.findall(r"[^,\s]+", shape))
            for shape in re.findall(r"\(([^)]*)\)", cells[1])
        ]
        if len(shapes) == 1:
            shapes *= len(names)
        assert len(shapes) == len(names), line
        tensors.update(zip(names, shapes, strict=True))
    return tensors


def test_the_table_matches_the_parameter_layout():
    config = ModelConfig(
        vocab_size=50, context_length=24, dim=16, layers=1, heads=2, tied=False,
        number_places=6, digit_tokens=tuple(range(10, 20)), number_orders=5, break_tokens=(3,),
    )  # fmt: skip
    sizes = {"d": 16, "V": 50, "T": 24, "h": 64, "P": 6, "O": 5}
    code = {slot.name: tuple(slot.shape) for slot in ParamLayout(config)}
    assert documented_tensors(sizes) == code
