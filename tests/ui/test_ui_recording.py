"""`R` in a visual tab records its view: a playable MP4 (or PNG frames), a RECORDING marker, a clean stop."""

from __future__ import annotations

import time

import pygame
import pytest
from ui_events import key

from hyper_prime_spiral.ui import recording, theme
from hyper_prime_spiral.ui.app import App


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(
        recording, "recordings_folder", lambda video: tmp_path / ("videos" if video else "pictures")
    )
    application = App(size=(800, 500))
    yield application
    application.close()


def _frames(app, count: int) -> pygame.Surface:
    surface = pygame.Surface(app.size)
    for _ in range(count):
        app.update(1 / 30)
        app.draw(surface)
        time.sleep(1.2 / recording.RECORD_FPS)
    return surface


def _record(app, frames: int) -> tuple[recording.Recorder, pygame.Surface]:
    key(app, pygame.K_r)
    recorder = app.recorder
    assert recorder is not None and "Recording" in app.status
    surface = _frames(app, frames)
    key(app, pygame.K_r)
    assert app.recorder is None and not app.status_error, app.status
    return recorder, surface


def test_r_records_a_playable_mp4_with_a_marker_left_out_of_the_video(app):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    view = app.current_tab.content_rect
    recorder, surface = _record(app, 6)
    assert recorder.video and recorder.path.suffix == ".mp4" and recorder.path.stat().st_size > 0
    assert surface.get_at((view.x, view.centery))[:3] == theme.RED  # the RECORDING frame on screen
    assert "Saved the recording" in app.status and str(recorder.path) in app.status

    reader = imageio_ffmpeg.read_frames(str(recorder.path))
    meta = reader.__next__()
    frames = list(reader)
    width, height = meta["size"]
    assert (width, height) == (view.width - view.width % 2, view.height - view.height % 2)
    assert len(frames) == recorder.frames >= 3
    first = frames[0]
    left_edge = first[(height // 2) * width * 3 : (height // 2) * width * 3 + 3]
    assert tuple(left_edge) != theme.RED  # the marker is drawn after the frame is taken


def test_without_imageio_ffmpeg_it_writes_png_frames(app, monkeypatch):
    monkeypatch.setattr(recording, "mp4_available", lambda: False)
    recorder, _ = _record(app, 4)
    frames = sorted(recorder.path.glob("frame-*.png"))
    assert not recorder.video and recorder.path.parent.name == "pictures"
    assert len(frames) == recorder.frames >= 2
    image = pygame.image.load(str(frames[0]))
    view = app.current_tab.content_rect
    assert image.get_size() == (view.width - view.width % 2, view.height - view.height % 2)


def test_switching_tabs_stops_the_recording_and_r_is_only_for_visual_tabs(app, monkeypatch):
    monkeypatch.setattr(recording, "mp4_available", lambda: False)
    key(app, pygame.K_r)
    recorder = app.recorder
    _frames(app, 2)
    key(app, pygame.K_F4)  # the LLM tab
    assert app.recorder is None and recorder.path.is_dir() and "Saved the recording" in app.status
    key(app, pygame.K_r)
    assert app.recorder is None  # no view to record here


def test_a_folder_that_cannot_be_written_is_reported(app, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(recording, "recordings_folder", lambda video: blocker / "sub")
    key(app, pygame.K_r)
    assert app.recorder is None and app.status_error and str(blocker) in app.status


def test_quitting_while_recording_finishes_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(recording, "recordings_folder", lambda video: tmp_path)
    monkeypatch.setattr(recording, "mp4_available", lambda: False)
    app = App(size=(700, 450))
    key(app, pygame.K_r)
    recorder = app.recorder
    _frames(app, 2)
    app.close()
    assert app.recorder is None and len(list(recorder.path.glob("*.png"))) == recorder.frames
