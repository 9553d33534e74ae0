"""Record the view of a visual tab to a video (the original program's `R` key).

MP4 (H.264) through imageio-ffmpeg, which ships its own ffmpeg binary (the optional `video`
extra: `pip install 'hyper-prime-spiral[video]'`); without it, numbered PNG frames in a folder.
Frames are taken at a fixed 30 per second whatever the window's frame rate, copied out of the
window surface on the UI thread (one `tobytes` call) and encoded on a writer thread, so the
window keeps its frame rate. When the writer falls behind, frames are dropped (and counted)
rather than letting the window stall or memory grow.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import platformdirs
import pygame

from hyper_prime_spiral.storage.png_file import write_png

APP_NAME = "hyper-prime-spiral"
RECORD_FPS = 30
QUEUE_FRAMES = 8  # about a quarter of a second of video waiting for the encoder


def mp4_available() -> bool:
    try:
        import imageio_ffmpeg  # noqa: F401
    except ImportError:
        return False
    return True


def recordings_folder(video: bool) -> Path:
    """The user's videos folder for MP4s, the pictures folder for PNG frames."""
    base = platformdirs.user_videos_path() if video else platformdirs.user_pictures_path()
    return base / APP_NAME


class RecordingError(RuntimeError):
    """The recording could not start or could not be written; the message names the file."""


class _Mp4Writer:
    def __init__(self, path: Path, size: tuple[int, int]) -> None:
        import imageio_ffmpeg

        self.path = path
        self._frames = imageio_ffmpeg.write_frames(
            str(path),
            size,
            fps=RECORD_FPS,
            codec="libx264",
            quality=None,
            macro_block_size=2,  # keeps any even size as it is (the size is made even below)
            output_params=["-preset", "ultrafast", "-crf", "23"],
            ffmpeg_log_level="error",
        )
        self._frames.send(None)  # starts ffmpeg

    def write(self, frame: bytes) -> None:
        self._frames.send(frame)

    def close(self) -> None:
        self._frames.close()


class _PngWriter:
    def __init__(self, path: Path, size: tuple[int, int]) -> None:
        self.path = path
        self.size = size
        self.count = 0
        path.mkdir(parents=True)

    def write(self, frame: bytes) -> None:
        self.count += 1
        write_png(self.path / f"frame-{self.count:05d}.png", frame, *self.size)

    def close(self) -> None:
        pass


class Recorder:
    """One recording: `capture(surface, rect)` every frame, `stop()` once; `path` is the result.

    `video=None` picks MP4 when imageio-ffmpeg is installed, else PNG frames.
    """

    def __init__(
        self,
        size: tuple[int, int],
        folder: Path | None = None,
        video: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.video = mp4_available() if video is None else video
        # H.264 in yuv420p needs even sizes: drop a last odd row or column.
        self.size = (max(2, size[0] - size[0] % 2), max(2, size[1] - size[1] % 2))
        folder = folder if folder is not None else recordings_folder(self.video)
        stamp = datetime.now().strftime("recording-%Y-%m-%d-%H%M%S")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = _free_path(folder, stamp, ".mp4" if self.video else "")
            self._writer: _Mp4Writer | _PngWriter = (
                _Mp4Writer(path, self.size) if self.video else _PngWriter(path, self.size)
            )
        except (OSError, RuntimeError) as exc:
            raise RecordingError(f"{folder}: cannot start a recording: {exc}") from exc
        self.path = path
        self.frames = 0  # frames handed to the encoder
        self.dropped = 0  # frames the encoder was too busy to take
        self.error: str | None = None
        self._clock = clock
        self._started = clock()
        self._next_due = self._started
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUE_FRAMES)
        self._thread = threading.Thread(target=self._write_frames, name="recording-writer", daemon=True)
        self._thread.start()

    @property
    def seconds(self) -> float:
        return self.frames / RECORD_FPS

    def capture(self, surface: pygame.Surface, rect: pygame.Rect) -> bool:
        """Take a frame of `rect` when one is due (30 per second); True when one was taken."""
        now = self._clock()
        if now < self._next_due or self.error is not None:
            return False
        # Catch up after a slow frame without bursting: the next frame is due one period on.
        self._next_due = max(self._next_due + 1.0 / RECORD_FPS, now - 0.5 / RECORD_FPS)
        area = pygame.Rect(rect.topleft, self.size).clip(surface.get_rect())
        if area.size != self.size:
            frame = pygame.Surface(self.size)
            frame.blit(surface, (0, 0), area)
        else:
            frame = surface.subsurface(area)
        data = pygame.image.tobytes(frame, "RGB")
        try:
            self._queue.put_nowait(data)
        except queue.Full:
            self.dropped += 1
            return False
        self.frames += 1
        return True

    def _write_frames(self) -> None:
        while True:
            data = self._queue.get()
            if data is None:
                break
            if self.error is not None:
                continue  # drain: the recording already failed
            try:
                self._writer.write(data)
            except (OSError, RuntimeError, pygame.error) as exc:
                self.error = f"{self.path}: recording failed: {exc}"

    def stop(self) -> Path:
        """Finish the file (waits for the encoder); RecordingError when writing failed."""
        self._queue.put(None)
        self._thread.join()
        try:
            self._writer.close()
        except (OSError, RuntimeError) as exc:
            self.error = self.error or f"{self.path}: could not finish the recording: {exc}"
        if self.error is not None:
            raise RecordingError(self.error)
        return self.path


def _free_path(folder: Path, stem: str, suffix: str) -> Path:
    candidate, n = folder / f"{stem}{suffix}", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}{suffix}"
    return candidate
