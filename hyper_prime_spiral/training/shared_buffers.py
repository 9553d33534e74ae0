"""NumPy arrays in POSIX shared memory, owned by the parent and only attached by workers.

Why this shape: the training pool shares parameters, gradients, optimizer moments and the
token batch without pickling anything per step. Exactly one process (the parent) creates and
unlinks each segment, in `finally` paths, so nothing survives a crash, a stop or Ctrl+C.

Workers attach by name. On Python 3.13+ they attach with `track=False`. On 3.11/3.12 an
attached segment is registered with the resource tracker, but spawn-context children share
the parent's tracker, whose registry is a set: the worker's registration is the same entry
the parent made, and the parent's `unlink()` removes it. A worker must therefore never
unregister (that would drop the parent's entry and make the tracker print a KeyError later)
and never unlink.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from multiprocessing import shared_memory

import numpy as np

_ATTACH_KWARGS = {"track": False} if sys.version_info >= (3, 13) else {}


@dataclass(frozen=True)
class SharedArraySpec:
    """Everything a worker needs to attach to one shared array (small and picklable)."""

    name: str
    shape: tuple[int, ...]
    dtype: str

    @property
    def nbytes(self) -> int:
        return int(np.prod(self.shape)) * np.dtype(self.dtype).itemsize


class SharedArray:
    """One NumPy array backed by one shared-memory segment."""

    def __init__(self, segment: shared_memory.SharedMemory, spec: SharedArraySpec, owner: bool) -> None:
        self._segment: shared_memory.SharedMemory | None = segment
        self.spec = spec
        self.owner = owner
        # Every NumPy view must keep the mapping alive: np.frombuffer over our own memoryview
        # of the mmap holds a buffer export, so mmap.close() refuses (BufferError) instead of
        # unmapping memory a view still points at. (np.ndarray(buffer=...) holds no export:
        # a view that outlived close() would crash the process.)
        mapping = getattr(segment, "_mmap", None) or segment.buf
        count = int(np.prod(spec.shape))
        flat = np.frombuffer(memoryview(mapping), dtype=np.dtype(spec.dtype), count=count)
        self.array: np.ndarray = flat.reshape(spec.shape)

    @classmethod
    def create(cls, shape: tuple[int, ...], dtype: np.dtype | type | str = np.float32) -> SharedArray:
        """Create a zero-filled segment (parent only); the creator must `release()` it."""
        dt = np.dtype(dtype)
        shape = tuple(int(s) for s in shape)
        nbytes = max(1, int(np.prod(shape)) * dt.itemsize)
        segment = shared_memory.SharedMemory(create=True, size=nbytes)
        spec = SharedArraySpec(segment.name, shape, dt.str)
        shared = cls(segment, spec, owner=True)
        shared.array.fill(0)
        return shared

    @classmethod
    def attach(cls, spec: SharedArraySpec) -> SharedArray:
        """Attach to a segment the parent created (worker side; never unlinks)."""
        segment = shared_memory.SharedMemory(name=spec.name, create=False, **_ATTACH_KWARGS)
        return cls(segment, spec, owner=False)

    @property
    def released(self) -> bool:
        return self._segment is None

    def release(self) -> None:
        """Drop this process's mapping; the owner also unlinks. Idempotent."""
        segment, self._segment = self._segment, None
        if segment is None:
            return
        # The array must not outlive the mapping: point it at an empty array first.
        self.array = np.empty(0, dtype=np.dtype(self.spec.dtype))
        try:
            segment.close()
        except BufferError:
            # A view into the segment is still alive somewhere. Hand the mapping over to those
            # views (it is unmapped when the last one goes) and close only the file descriptor.
            segment._mmap = None  # type: ignore[attr-defined]
            segment.close()
        if self.owner:
            try:
                segment.unlink()
            except FileNotFoundError:
                pass


class SharedArena:
    """The set of segments one pool owns, released together."""

    def __init__(self) -> None:
        self._arrays: list[SharedArray] = []

    def create(self, shape: tuple[int, ...], dtype: np.dtype | type | str = np.float32) -> SharedArray:
        shared = SharedArray.create(shape, dtype)
        self._arrays.append(shared)
        return shared

    def release(self, shared: SharedArray) -> None:
        shared.release()
        self._arrays = [a for a in self._arrays if a is not shared]

    def release_all(self) -> None:
        """Unlink every segment, even if some release fails."""
        arrays, self._arrays = self._arrays, []
        errors: list[BaseException] = []
        for shared in arrays:
            try:
                shared.release()
            except Exception as exc:  # keep going: the remaining segments must still go
                errors.append(exc)
        if errors:
            raise errors[0]

    @property
    def names(self) -> list[str]:
        return [a.spec.name for a in self._arrays]
