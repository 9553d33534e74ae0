"""Write an RGB image as PNG with the standard library (zlib), for the recording's frame fallback.

Why not pygame.image.save: it compresses with the GIL held, so the window stalled to about
17 FPS while recording 1280x834 frames; zlib.compress releases the GIL, and level 1 keeps up.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(rgb: bytes, width: int, height: int, level: int = 1) -> bytes:
    """PNG bytes of a `width` x `height` image given as packed RGB rows (no filter)."""
    stride = width * 3
    if len(rgb) != stride * height:
        raise ValueError(f"expected {stride * height} bytes for {width}x{height} RGB, got {len(rgb)}")
    rows = b"".join(b"\x00" + rgb[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        _SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, level))
        + _chunk(b"IEND", b"")
    )


def write_png(path: str | os.PathLike[str], rgb: bytes, width: int, height: int) -> None:
    """Write a new PNG file (refuses to replace an existing one)."""
    with open(Path(path), "xb") as handle:
        handle.write(encode_png(rgb, width, height))
