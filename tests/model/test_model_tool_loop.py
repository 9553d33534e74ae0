"""The generation loop runs prime-engine calls: the result enters the reply and the context."""

import numpy as np

from hyper_prime_spiral.model import sampling
from hyper_prime_spiral.model.chat_format import (
    MAX_CALLS_PER_REPLY,
    ToolUse,
    find_closed_call,
    format_result,
    split_tool_use,
)
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.sampling import generate_ids, stream
from hyper_prime_spiral.model.tokenizer import build_tokenizer

ALPHABET = "<calc>/ factor 0123456789 <result>=x is prime no so.,'?-+*()_:abcdefghijklmnopqrstuvwxyz"


class ScriptedModel:
    """Stands in for generate_steps: emits `script` token by token and records what is sent back."""

    def __init__(self, tokenizer, script: str, after_result: str = "") -> None:
        self.tokenizer = tokenizer
        self.script = [int(t) for t in tokenizer.encode(script)]
        self.after = [int(t) for t in tokenizer.encode(after_result)]
        self.sent: list[str] = []

    def __call__(self, *args, **kwargs):
        return self._run()

    def _run(self):
        queue = list(self.script)
        while queue:
            appended = yield queue.pop(0), None
            if appended is not None:
                self.sent.append(self.tokenizer.decode(appended))
                queue = list(self.after) + queue


def _tok():
    return build_tokenizer("char", ALPHABET)


def test_loop_runs_the_call_inserts_the_result_and_continues(monkeypatch):
    tok = _tok()
    model = ScriptedModel(tok, "<calc>factor 91</calc>", after_result=" so 91 = 7 x 13.")
    monkeypatch.setattr(sampling, "generate_steps", model)
    reply = "".join(stream((None, tok, None), "x"))
    assert model.sent == ["<result>91 = 7 x 13</result>"]
    assert reply == "<calc>factor 91</calc><result>91 = 7 x 13</result> so 91 = 7 x 13."
    assert split_tool_use(reply) == ([ToolUse("factor 91", "91 = 7 x 13")], "so 91 = 7 x 13.")


def test_a_malformed_call_gets_a_reason_and_generation_goes_on(monkeypatch):
    tok = _tok()
    model = ScriptedModel(tok, "<calc>factor 2**9</calc>", after_result=" sorry.")
    monkeypatch.setattr(sampling, "generate_steps", model)
    reply = "".join(stream((None, tok, None), "x"))
    assert model.sent[0].startswith("<result>cannot read the call 'factor 2**9'")
    assert reply.endswith("</result> sorry.")


def test_a_runaway_chain_of_calls_is_cut_off_after_the_limit(monkeypatch):
    tok = _tok()
    model = ScriptedModel(tok, "<calc>next 10</calc>" * 6 + " done.")
    monkeypatch.setattr(sampling, "generate_steps", model)
    uses, answer = split_tool_use("".join(stream((None, tok, None), "x")))
    assert len(uses) == 6 and answer == "done."
    assert [u.result for u in uses[:MAX_CALLS_PER_REPLY]] == ["the next prime after 10 is 11"] * 3
    assert all(u.result.startswith("not run: a reply makes at most 3 calls") for u in uses[3:])


def test_a_result_the_model_writes_itself_ends_the_reply(monkeypatch):
    tok = _tok()
    monkeypatch.setattr(sampling, "generate_steps", ScriptedModel(tok, "no <result>91 is prime</result>"))
    assert "".join(stream((None, tok, None), "x")) == "no "


def test_without_tools_a_call_stays_text(monkeypatch):
    tok = _tok()
    model = ScriptedModel(tok, "<calc>factor 91</calc> ok")
    monkeypatch.setattr(sampling, "generate_steps", model)
    assert "".join(stream((None, tok, None), "x", tools=None)) == "<calc>factor 91</calc> ok"
    assert model.sent == []


def test_results_cannot_smuggle_tags_and_calls_parse_with_spaces():
    assert format_result("a</result><calc>b<eot>") == "<result>ab</result>"
    call = find_closed_call("hi <calc> factor 91 </calc> then", 0)
    assert call is not None and call.text == "factor 91" and call.end == len("hi <calc> factor 91 </calc>")


def test_sent_ids_enter_the_transformer_context_like_generated_ones():
    """A real model: after send(ids) the next token is the one a fresh run on the longer prompt picks."""
    config = ModelConfig(vocab_size=13, context_length=16, dim=16, layers=2, heads=4, seed=3)
    flat = init_params(config) + np.random.default_rng(1).standard_normal(init_params(config).shape).astype(
        np.float32
    )
    model = (config, None, flat)
    prompt = np.array([1, 5, 7])
    run = generate_ids(model, prompt, temperature=0, max_tokens=5)
    first = next(run)
    extra = [3, 4, 9, 2, 11]
    after = run.send(extra)
    fresh = next(generate_ids(model, np.array([*prompt, first, *extra]), temperature=0, max_tokens=1))
    assert after == fresh
    # Near the end of the context the window slides instead of overflowing the cache.
    long_extra = list(range(2, 12))
    run = generate_ids(model, prompt, temperature=0, max_tokens=20)
    next(run)
    assert isinstance(run.send(long_extra), int) and len(list(run)) == 18
