"""LLM tab: frames per second of App.update + App.draw while idle and while a reply streams.

The reply is generated on a background thread; this shows how much the generation costs the
frame loop (the GIL is shared) and the tokens/s the chat reaches meanwhile. Model: the
nanoGPT-small shape (4 layers, width 128, 4 heads, context 64), random weights, char
tokenizer. Each generating state is measured with the lens off and on. Prints one JSON object
per line.
"""

from __future__ import annotations

import json
import os
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from hyper_prime_spiral.model.bundle import ModelBundle  # noqa: E402
from hyper_prime_spiral.model.config import ModelConfig  # noqa: E402
from hyper_prime_spiral.model.init import init_params  # noqa: E402
from hyper_prime_spiral.model.sampling import generate  # noqa: E402
from hyper_prime_spiral.model.tokenizer import build_tokenizer  # noqa: E402
from hyper_prime_spiral.ui.app import App  # noqa: E402

SIZE = (1600, 900)
SECONDS = 2.0
TEXT = "User: is the sky blue\nAI: yes, the sky is blue.<eot>\n" + "abcdefghijklmnopqrstuvwxyz .,?!'\n"


def frames_for(app: App, surface: pygame.Surface, seconds: float, while_true=lambda: True, capped=False):
    """(frames, elapsed) of update+draw; `capped` sleeps like the real loop's 60 FPS clock."""
    clock = pygame.time.Clock()
    frames, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds and while_true():
        app.update(1 / 60)
        app.draw(surface)
        frames += 1
        if capped:
            clock.tick(60)
    return frames, time.perf_counter() - started


def main() -> None:
    tokenizer = build_tokenizer("char", TEXT)
    config = ModelConfig(vocab_size=tokenizer.vocab_size, context_length=64, dim=128, layers=4, heads=4)
    bundle = ModelBundle(config, tokenizer, init_params(config))
    started = time.perf_counter()
    reply = generate(bundle, "User: hi\nAI:", temperature=1.0, top_k=0, top_p=1.0, max_tokens=300, seed=1)
    alone = len(tokenizer.encode(reply)) / (time.perf_counter() - started)
    print(json.dumps({"bench": "llm_generation_alone", "tokens_per_s": round(alone, 1)}))

    app = App(size=SIZE)
    app.set_model(bundle, "bench model")
    app.switch_tab("LLM")
    tab = app.tab("LLM")
    surface = pygame.Surface(SIZE)
    frames_for(app, surface, 0.3)
    frames, elapsed = frames_for(app, surface, SECONDS)
    print(json.dumps({"bench": "llm_tab_fps", "state": "idle", "fps": round(frames / elapsed, 1)}))

    tab.chat_field.set_text("warm up")  # start the worker process and send it the model
    tab.send()
    while tab.session.generating:
        app.update(1 / 60)
        time.sleep(0.01)
    tab.max_tokens.set_value(1000)
    tab.seed_field.set_text("1")  # the same reply with the lens off and on: a fair comparison
    for capped, lens in ((False, False), (False, True), (True, False), (True, True)):
        tab.stop()
        tab.set_lens(lens)  # lens on: a TokenInsight per token comes from the worker and is drawn
        tab.chat_field.set_text("is the sky blue")
        tab.send()
        frames, elapsed = frames_for(app, surface, SECONDS, lambda: tab.session.generating, capped)
        job = tab.session.job
        line = {
            "bench": "llm_tab_fps",
            "state": "generating",
            "capped_at_60": capped,
            "lens": lens,
            "fps": round(frames / elapsed, 1),
            "tokens_per_s_while_drawing": round(job.tokens / job.elapsed, 1),
        }
        print(json.dumps(line))
    tab.stop()
    app.close()


if __name__ == "__main__":
    main()
