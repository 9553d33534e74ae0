"""Helpers for the LLM tab tests: real pygame events, frame pumping, a tiny trained model."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pygame

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.model.training_record import TrainingRecord
from hyper_prime_spiral.training.trainer import Trainer, TrainSettings

CORPUS = (
    "User: is the sky blue\nAI: yes, the sky is blue.<eot>\n\n"
    "User: hello\nAI: hello there, how are you?<eot>\n\n"
    "User: what is a prime\nAI: a number with two divisors.<eot>\n\n"
) * 15


def train_tiny_model():
    """A 1-layer char model trained for a few steps (well under a second)."""
    tokenizer = build_tokenizer("char", CORPUS)
    config = ModelConfig(vocab_size=tokenizer.vocab_size, context_length=48, dim=16, layers=1, heads=2)
    settings = TrainSettings(steps=25, batch_size=4, warmup=5, eval_every=25, eval_batches=2)
    return (
        Trainer(config, tokenizer, tokenizer.encode(CORPUS), settings, record=TrainingRecord(tokenizer="x"))
        .run()
        .bundle
    )


def key(app, keycode: int, mod: int = 0) -> None:
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=keycode, mod=mod, unicode="", scancode=0))
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=keycode, mod=mod, unicode="", scancode=0))


def type_text(app, text: str) -> None:
    """Each character as SDL delivers it: KEYDOWN (with .unicode), TEXTINPUT, KEYUP."""
    for ch in text:
        keycode = pygame.K_SPACE if ch == " " else pygame.key.key_code(ch.lower())
        mod = pygame.KMOD_SHIFT if ch.isupper() or ch in '~!@#$%^&*()_+{}|:"<>?' else 0
        app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=keycode, mod=mod, unicode=ch, scancode=0))
        app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=ch))
        app.handle_event(pygame.event.Event(pygame.KEYUP, key=keycode, mod=mod, unicode="", scancode=0))


def click(app, pos: tuple[int, int]) -> None:
    app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))


def pump(app, until: Callable[[], bool], timeout: float = 20.0) -> None:
    """Run frames (update) until `until()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not until():
        assert time.monotonic() < deadline, "condition not reached while pumping frames"
        app.update(1 / 60)
        time.sleep(0.002)


def open_llm_tab(app, bundle, seed: str) -> tuple:
    """`app` on the LLM tab with `bundle` loaded (after the start-up search) and `seed` in its seed field."""
    pump(app, lambda: app.tab("LLM").startup is None)  # the (empty) start-up search is over
    app.set_model(bundle, "test model")
    app.switch_tab("LLM")
    tab = app.tab("LLM")
    tab.seed_field.set_text(seed)
    return app, tab


def set_field(app, field, text: str) -> None:
    """Focus `field` by clicking it, replace its text by typing, leave it focused."""
    click(app, field.rect.center)
    assert app.focus is field
    key(app, pygame.K_a, pygame.KMOD_LCTRL)
    key(app, pygame.K_BACKSPACE)
    type_text(app, text)


class GatedStream:
    """Wraps a stream function so the test releases the reply piece by piece (deterministic streaming)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.gate = threading.Semaphore(0)
        self.sent = 0
        self.closed = threading.Event()

    def __call__(self, bundle, prompt, **sampling):
        try:
            for piece in self.inner(bundle, prompt, **sampling):
                if not self.gate.acquire(timeout=10):
                    return
                self.sent += 1
                yield piece
        finally:
            self.closed.set()

    def release(self, pieces: int = 1) -> None:
        for _ in range(pieces):
            self.gate.release()
