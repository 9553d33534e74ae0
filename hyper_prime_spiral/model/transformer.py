"""GPT-style pre-LayerNorm causal transformer: forward, hand-written backward, KV-cache decoding.

Shapes: B batch rows, T positions, N = B*T, d width, H heads, hd = d / H, V vocabulary.
Every activation the backward pass needs lives in a `_Workspace` allocated once per (B, T)
and reused across steps: allocating them afresh each step makes glibc return and re-fault
thousands of pages (docs/design.md, "Measured reasons"). Elementwise work is written in
place with numpy `out=`; numexpr was measured slower for these sizes (GELU, softmax).

GELU uses the tanh approximation (GPT-2's): 0.5 u (1 + tanh(sqrt(2/pi) (u + 0.044715 u^3))).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from hyper_prime_spiral.model import memory
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.number_places import NOT_A_DIGIT, NumberReader
from hyper_prime_spiral.model.params import block_prefix

LN_EPS = 1e-5
ONE_HOT_MAX_VOCAB = 256  # above this np.add.at beats the (N x V) one-hot matmul
GELU_BLOCK_ELEMENTS = 65536  # elements per GELU block: its arrays fit in L2 together
UNDERFLOW_GUARD = 1e-30  # an attention row sum below this is recomputed with its own max
GELU_C = math.sqrt(2.0 / math.pi)
GELU_A = 0.044715


class _LayerActivations:
    """What one block's backward pass needs from its forward pass."""

    def __init__(self, B: int, T: int, d: int, H: int, hidden: int, dtype: np.dtype) -> None:
        N, hd = B * T, d // H
        self.ln1_xhat = np.empty((N, d), dtype)
        self.ln1_rstd = np.empty((N, 1), dtype)
        self.ln1_out = np.empty((N, d), dtype)
        self.q = np.empty((B, H, T, hd), dtype)  # already scaled by 1/sqrt(hd)
        self.k = np.empty((B, H, T, hd), dtype)
        self.v = np.empty((B, H, T, hd), dtype)
        self.att = np.empty((B, H, T, T), dtype)  # softmax probabilities
        self.yh = np.empty((B, H, T, hd), dtype)  # att @ v, per head
        self.y = np.empty((N, d), dtype)  # heads merged, input of the output projection
        self.ln2_xhat = np.empty((N, d), dtype)
        self.ln2_rstd = np.empty((N, 1), dtype)
        self.ln2_out = np.empty((N, d), dtype)
        self.u = np.empty((N, hidden), dtype)  # MLP pre-activation
        self.s = np.empty((N, hidden), dtype)  # 0.5 (1 + tanh(...)) inside GELU
        self.g = np.empty((N, hidden), dtype)  # GELU output


class _Workspace:
    """All buffers of one training step for a fixed (B, T); allocated once, reused every step."""

    def __init__(self, config: ModelConfig, B: int, T: int, dtype: np.dtype) -> None:
        d, H, hidden, V = config.dim, config.heads, config.hidden_dim, config.vocab_size
        N, hd = B * T, d // H
        self.B, self.T, self.N = B, T, N
        self.layers = [_LayerActivations(B, T, d, H, hidden, dtype) for _ in range(config.layers)]
        self.h = np.empty((N, d), dtype)  # residual stream
        self.lnf_xhat = np.empty((N, d), dtype)
        self.lnf_rstd = np.empty((N, 1), dtype)
        self.lnf_out = np.empty((N, d), dtype)
        self.logits = np.empty((N, V), dtype)  # becomes dlogits in the backward pass
        self.rows = np.arange(N)
        # shared scratch
        self.qkv = np.empty((N, 3 * d), dtype)
        self.proj = np.empty((N, d), dtype)
        self.row_shift = np.empty((N, 1), dtype)  # per-row value subtracted: LN mean, logit max
        self.row_scale = np.empty((N, 1), dtype)  # per-row factor: 1/softmax sum, LN-backward dot
        self.att_row = np.empty((B, H, T, 1), dtype)  # per attention row: softmax sum, dy . y
        self.head_max = np.empty((B, H, 1, 1), dtype)
        # Row/column sums and means as BLAS matrix-vector products: much faster than numpy
        # reductions over short axes (measured 4-8x at these shapes).
        self.ones_n = np.ones(N, dtype)  # column sums: ones_n @ X
        self.mean_d = np.full((d, 1), 1.0 / d, dtype)  # row means: X @ mean_d
        self.ones_t = np.ones((T, 1), dtype)  # attention row sums
        self.ones_hd = np.ones((hd, 1), dtype)
        # Embedding gradient as a one-hot matmul for small vocabularies (faster than np.add.at).
        self.one_hot = np.zeros((N, V), dtype) if V <= ONE_HOT_MAX_VOCAB else None
        self.embed_scratch = np.empty((V, d), dtype) if V <= ONE_HOT_MAX_VOCAB else None
        self.ln_scratch = np.empty((N, d), dtype)  # products inside the LayerNorm backward
        self.d_ln_out = np.empty((N, d), dtype)  # gradient arriving at a LayerNorm's output
        self.dh = np.empty((N, d), dtype)
        self.dg = np.empty((N, hidden), dtype)
        self.gelu_slope = np.empty((N, hidden), dtype)  # gelu'(u)
        self.gelu_poly = np.empty((N, hidden), dtype)  # 2c + 6ac u^2 inside gelu'(u)
        block = max(1, GELU_BLOCK_ELEMENTS // hidden)
        self.gelu_blocks = [slice(i, min(i + block, N)) for i in range(0, N, block)]
        self.dy = np.empty((N, d), dtype)
        self.dyh = np.empty((B, H, T, hd), dtype)
        self.datt = np.empty((B, H, T, T), dtype)
        self.dq = np.empty((B, H, T, hd), dtype)
        self.dk = np.empty((B, H, T, hd), dtype)
        self.dv = np.empty((B, H, T, hd), dtype)
        self.dy_times_y = np.empty((B, H, T, hd), dtype)  # softmax backward: dy * y per head
        self.dqkv = np.empty((N, 3 * d), dtype)
        places = config.number_places
        # one-hot rows of each token's place and previous digit: the embedding sums and their gradients
        self.place_one_hot = np.zeros((N, places), dtype) if places else None
        self.digit_one_hot = np.zeros((N, NOT_A_DIGIT + 1), dtype) if places else None
        orders = config.number_orders
        self.order_one_hot = np.zeros((N, orders), dtype) if orders else None
        mask = np.triu(np.ones((T, T), dtype=bool), k=1)
        self.causal = np.where(mask, -np.inf, 0.0).astype(dtype)  # added to attention scores


@dataclass
class KVCache:
    """Keys and values of the positions seen so far, per layer, for one sequence."""

    keys: list[np.ndarray]  # per layer (H, capacity, hd)
    values: list[np.ndarray]
    length: int = 0
    tokens: list[int] = field(default_factory=list)

    @property
    def capacity(self) -> int:
        return self.keys[0].shape[1]


class Transformer:
    """Stateless maths over named parameter views; buffers are cached per batch shape."""

    def __init__(self, config: ModelConfig, dtype: np.dtype | type = np.float32) -> None:
        self.config = config
        self.dtype = np.dtype(dtype)
        self._workspaces: dict[tuple[int, int], _Workspace] = {}
        self._numbers = NumberReader(
            config.digit_tokens,
            config.break_tokens,
            config.vocab_size,
            places=config.number_places,
            orders=config.number_orders,
            power_tokens=config.power_tokens,
        )
        memory.keep_freed_memory()

    # ----------------------------------------------------------------- public API
    def loss_and_grads(
        self, params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray, grads: dict[str, np.ndarray]
    ) -> float:
        """Mean next-token cross-entropy over all B*T targets; overwrites every tensor in grads."""
        ws = self._workspace(x)
        if y.shape != x.shape:
            raise ValueError(f"targets have shape {y.shape}, inputs {x.shape}")
        self._forward(params, x, ws)
        loss = self._loss_and_dlogits(ws, y)
        self._backward(params, x, ws, grads)
        return loss

    def loss(self, params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> float:
        """Mean cross-entropy without gradients (validation)."""
        ws = self._workspace(x)
        self._forward(params, x, ws)
        logits = ws.logits
        rowmax = np.max(logits, axis=1, keepdims=True)
        lse = np.log(np.sum(np.exp(logits - rowmax), axis=1)) + rowmax[:, 0]
        picked = logits[ws.rows, y.reshape(-1)]
        return float(np.mean(lse - picked, dtype=np.float64))

    def logits(self, params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
        """Logits [B, T, V] of the full (uncached) forward pass."""
        ws = self._workspace(x)
        self._forward(params, x, ws)
        return ws.logits.reshape(ws.B, ws.T, -1).copy()

    def new_cache(self, capacity: int | None = None) -> KVCache:
        c = self.config
        cap = capacity or c.context_length
        shape = (c.heads, cap, c.head_dim)
        return KVCache(
            [np.zeros(shape, self.dtype) for _ in range(c.layers)],
            [np.zeros(shape, self.dtype) for _ in range(c.layers)],
        )

    def forward_cached(
        self,
        params: dict[str, np.ndarray],
        ids: np.ndarray,
        cache: KVCache,
        attention: list[np.ndarray] | None = None,
    ) -> np.ndarray:
        """Logits [n, V] for `ids` appended after the cached positions; extends the cache.

        Each new token attends to every cached key and to the new tokens before it, so a
        prefill of n tokens followed by single-token calls gives the full forward's logits.
        `attention`, when given, receives per layer a copy of the last new position's
        softmax rows (H, cached + n): what the position predicting the next token looked at.
        """
        c = self.config
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        n, start = ids.shape[0], cache.length
        if start + n > min(cache.capacity, c.context_length):
            raise ValueError(
                f"{start + n} positions exceed the cache/context length "
                f"{min(cache.capacity, c.context_length)}"
            )
        H, hd, d = c.heads, c.head_dim, c.dim
        scale = self.dtype.type(1.0 / math.sqrt(hd))
        h = params["embed.token"][ids] + params["embed.position"][start : start + n]
        if c.number_places:
            features = self._numbers.appended(cache.tokens, ids)
            h += params["embed.place"][features.places] + params["embed.previous_digit"][features.previous]
            if features.orders is not None:
                h += params["embed.number_order"][features.orders]
        h = h.astype(self.dtype, copy=False)
        mask = np.triu(np.full((n, start + n), -np.inf, self.dtype), k=start + 1)
        for layer in range(c.layers):
            p = block_prefix(layer)
            a = _layer_norm(h, params[p + "ln1.gain"], params[p + "ln1.bias"])
            qkv = a @ params[p + "attn.qkv.weight"] + params[p + "attn.qkv.bias"]
            q, k, v = (qkv[:, i * d : (i + 1) * d].reshape(n, H, hd).transpose(1, 0, 2) for i in range(3))
            cache.keys[layer][:, start : start + n] = k
            cache.values[layer][:, start : start + n] = v
            keys = cache.keys[layer][:, : start + n]
            values = cache.values[layer][:, : start + n]
            scores = (q * scale) @ keys.transpose(0, 2, 1) + mask  # (H, n, start+n)
            _softmax_exact(scores)
            if attention is not None:
                attention.append(scores[:, -1, :].copy())
            att = (scores @ values).transpose(1, 0, 2).reshape(n, d)
            h = h + att @ params[p + "attn.out.weight"] + params[p + "attn.out.bias"]
            a = _layer_norm(h, params[p + "ln2.gain"], params[p + "ln2.bias"])
            u = a @ params[p + "mlp.in.weight"] + params[p + "mlp.in.bias"]
            g = 0.5 * u * (1.0 + np.tanh(GELU_C * (u + GELU_A * u**3)))
            h = h + g @ params[p + "mlp.out.weight"] + params[p + "mlp.out.bias"]
        a = _layer_norm(h, params["head.ln.gain"], params["head.ln.bias"])
        cache.length = start + n
        cache.tokens.extend(int(t) for t in ids)
        return a @ self._output_matrix(params)

    # ----------------------------------------------------------------- internals
    def _workspace(self, x: np.ndarray) -> _Workspace:
        if x.ndim != 2:
            raise ValueError(f"token ids must be [batch, time], got shape {x.shape}")
        B, T = x.shape
        if not 1 <= T <= self.config.context_length:
            raise ValueError(f"sequence length {T} exceeds the context length {self.config.context_length}")
        ws = self._workspaces.get((B, T))
        if ws is None:
            if len(self._workspaces) >= 4:  # e.g. training + validation + last partial micro-batch
                self._workspaces.pop(next(iter(self._workspaces)))
            ws = self._workspaces[(B, T)] = _Workspace(self.config, B, T, self.dtype)
        return ws

    def _output_matrix(self, params: dict[str, np.ndarray]) -> np.ndarray:
        return params["embed.token"].T if self.config.tied else params["head.out.weight"]

    def _forward(self, params: dict[str, np.ndarray], x: np.ndarray, ws: _Workspace) -> None:
        c = self.config
        B, T = ws.B, ws.T
        d, H, hd = c.dim, c.heads, c.head_dim
        h = ws.h
        np.take(params["embed.token"], x.reshape(-1), axis=0, out=h)
        h.reshape(B, T, d)[...] += params["embed.position"][:T]
        if ws.place_one_hot is not None:  # h += place[...] + previous_digit[...] (+ order) as one-hot matmuls
            features = self._numbers.features(x)
            ws.place_one_hot.fill(0)
            ws.place_one_hot[ws.rows, features.places.reshape(-1)] = 1
            h += ws.place_one_hot @ params["embed.place"]
            ws.digit_one_hot.fill(0)
            ws.digit_one_hot[ws.rows, features.previous.reshape(-1)] = 1
            h += ws.digit_one_hot @ params["embed.previous_digit"]
            if ws.order_one_hot is not None:
                ws.order_one_hot.fill(0)
                ws.order_one_hot[ws.rows, features.orders.reshape(-1)] = 1
                h += ws.order_one_hot @ params["embed.number_order"]
        scale = self.dtype.type(1.0 / math.sqrt(hd))
        for layer, act in enumerate(ws.layers):
            p = block_prefix(layer)
            # --- attention
            self._ln_forward(
                h, params[p + "ln1.gain"], params[p + "ln1.bias"], act.ln1_xhat, act.ln1_rstd, act.ln1_out, ws
            )
            np.matmul(act.ln1_out, params[p + "attn.qkv.weight"], out=ws.qkv)
            ws.qkv += params[p + "attn.qkv.bias"]
            qkv5 = ws.qkv.reshape(B, T, 3, H, hd)
            np.multiply(qkv5[:, :, 0].transpose(0, 2, 1, 3), scale, out=act.q)
            np.copyto(act.k, qkv5[:, :, 1].transpose(0, 2, 1, 3))
            np.copyto(act.v, qkv5[:, :, 2].transpose(0, 2, 1, 3))
            att = act.att
            np.matmul(act.q, act.k.transpose(0, 1, 3, 2), out=att)
            att += ws.causal
            if not self._softmax_rows(att, ws):  # rare: some row underflowed; redo exactly
                np.matmul(act.q, act.k.transpose(0, 1, 3, 2), out=att)
                att += ws.causal
                _softmax_exact(att)
            np.matmul(att, act.v, out=act.yh)
            np.copyto(act.y.reshape(B, T, H, hd), act.yh.transpose(0, 2, 1, 3))
            np.matmul(act.y, params[p + "attn.out.weight"], out=ws.proj)
            h += ws.proj
            h += params[p + "attn.out.bias"]
            # --- MLP
            self._ln_forward(
                h, params[p + "ln2.gain"], params[p + "ln2.bias"], act.ln2_xhat, act.ln2_rstd, act.ln2_out, ws
            )
            np.matmul(act.ln2_out, params[p + "mlp.in.weight"], out=act.u)
            act.u += params[p + "mlp.in.bias"]
            self._gelu_forward(act, ws)
            np.matmul(act.g, params[p + "mlp.out.weight"], out=ws.proj)
            h += ws.proj
            h += params[p + "mlp.out.bias"]
        self._ln_forward(
            h, params["head.ln.gain"], params["head.ln.bias"], ws.lnf_xhat, ws.lnf_rstd, ws.lnf_out, ws
        )
        np.matmul(ws.lnf_out, self._output_matrix(params), out=ws.logits)

    def _softmax_rows(self, att: np.ndarray, ws: _Workspace) -> bool:
        """Softmax over the last axis in place, shifted by each head's maximum (not each row's).

        A per-head maximum is one fast reduction over a contiguous (T, T) block, while a
        per-row maximum over 64 elements is ~20x slower in numpy. It only matters for
        overflow; a row whose scores all sit far below its head's maximum could underflow
        to zero: then this returns False and the caller recomputes with per-row maxima.
        With the guard at 1e-30 (a row maximum at most ~69 below the head's), every entry
        with probability above ~3e-7 of its row stays a normal float32.
        """
        np.max(att, axis=(2, 3), keepdims=True, out=ws.head_max)
        att -= ws.head_max
        np.exp(att, out=att)
        sums = ws.att_row
        np.matmul(att, ws.ones_t, out=sums)
        if not sums.min() >= UNDERFLOW_GUARD:
            return False
        np.reciprocal(sums, out=sums)
        att *= sums
        return True

    def _ln_forward(self, x, gain, bias, xhat, rstd, out, ws: _Workspace) -> None:
        np.matmul(x, ws.mean_d, out=ws.row_shift)
        np.subtract(x, ws.row_shift, out=xhat)
        np.multiply(xhat, xhat, out=out)  # out used as scratch for the squares
        np.matmul(out, ws.mean_d, out=rstd)
        rstd += self.dtype.type(LN_EPS)
        np.sqrt(rstd, out=rstd)
        np.reciprocal(rstd, out=rstd)
        xhat *= rstd
        np.multiply(xhat, gain, out=out)
        out += bias

    def _gelu_forward(self, act: _LayerActivations, ws: _Workspace) -> None:
        """g = u * s with s = 0.5 (1 + tanh(c (u + a u^3))); s is kept for the backward pass.

        Done in row blocks so the eight passes over each block stay in cache.
        """
        f = self.dtype.type
        for rows in ws.gelu_blocks:
            u, s, g = act.u[rows], act.s[rows], act.g[rows]
            np.multiply(u, u, out=s)
            s *= f(GELU_A * GELU_C)
            s += f(GELU_C)
            s *= u  # c (u + a u^3)
            np.tanh(s, out=s)
            s *= f(0.5)
            s += f(0.5)
            np.multiply(u, s, out=g)

    def _loss_and_dlogits(self, ws: _Workspace, y: np.ndarray) -> float:
        """Cross-entropy via log-sum-exp; leaves dloss/dlogits in ws.logits."""
        logits = ws.logits
        targets = y.reshape(-1)
        np.max(logits, axis=1, keepdims=True, out=ws.row_shift)
        logits -= ws.row_shift
        picked = logits[ws.rows, targets]
        np.exp(logits, out=logits)
        np.sum(logits, axis=1, keepdims=True, out=ws.row_scale)
        loss = float(np.mean(np.log(ws.row_scale[:, 0]) - picked, dtype=np.float64))
        np.reciprocal(ws.row_scale, out=ws.row_scale)
        ws.row_scale *= self.dtype.type(1.0 / ws.N)
        logits *= ws.row_scale  # softmax / N
        logits[ws.rows, targets] -= self.dtype.type(1.0 / ws.N)
        return loss

    def _backward(self, params, x: np.ndarray, ws: _Workspace, grads: dict[str, np.ndarray]) -> None:
        c = self.config
        B, T = ws.B, ws.T
        d, H, hd = c.dim, c.heads, c.head_dim
        dlogits = ws.logits
        dh = ws.dh
        # --- head: logits = lnf_out @ W_out
        if c.tied:
            np.matmul(dlogits.T, ws.lnf_out, out=grads["embed.token"])
            np.matmul(dlogits, params["embed.token"], out=ws.d_ln_out)
        else:
            np.matmul(ws.lnf_out.T, dlogits, out=grads["head.out.weight"])
            np.matmul(dlogits, params["head.out.weight"].T, out=ws.d_ln_out)
        dh.fill(0)
        self._ln_backward(
            ws.d_ln_out,
            ws.lnf_xhat,
            ws.lnf_rstd,
            params["head.ln.gain"],
            grads["head.ln.gain"],
            grads["head.ln.bias"],
            dh,
            ws,
        )
        scale = self.dtype.type(1.0 / math.sqrt(hd))
        for layer in reversed(range(c.layers)):
            act = ws.layers[layer]
            p = block_prefix(layer)
            # --- MLP: h += g @ W2 + b2 ; g = gelu(u) ; u = ln2_out @ W1 + b1
            np.matmul(act.g.T, dh, out=grads[p + "mlp.out.weight"])
            np.matmul(ws.ones_n, dh, out=grads[p + "mlp.out.bias"])
            np.matmul(dh, params[p + "mlp.out.weight"].T, out=ws.dg)
            self._gelu_backward(act, ws)  # ws.dg becomes du
            np.matmul(act.ln2_out.T, ws.dg, out=grads[p + "mlp.in.weight"])
            np.matmul(ws.ones_n, ws.dg, out=grads[p + "mlp.in.bias"])
            np.matmul(ws.dg, params[p + "mlp.in.weight"].T, out=ws.d_ln_out)
            self._ln_backward(
                ws.d_ln_out,
                act.ln2_xhat,
                act.ln2_rstd,
                params[p + "ln2.gain"],
                grads[p + "ln2.gain"],
                grads[p + "ln2.bias"],
                dh,
                ws,
            )
            # --- attention: h += y @ Wo + bo
            np.matmul(act.y.T, dh, out=grads[p + "attn.out.weight"])
            np.matmul(ws.ones_n, dh, out=grads[p + "attn.out.bias"])
            np.matmul(dh, params[p + "attn.out.weight"].T, out=ws.dy)
            np.copyto(ws.dyh, ws.dy.reshape(B, T, H, hd).transpose(0, 2, 1, 3))
            datt = ws.datt
            np.matmul(ws.dyh, act.v.transpose(0, 1, 3, 2), out=datt)
            np.matmul(act.att.transpose(0, 1, 3, 2), ws.dyh, out=ws.dv)
            # softmax backward: dS = att * (datt - sum_j att_j datt_j); the row sum equals dy . y
            np.multiply(ws.dyh, act.yh, out=ws.dy_times_y)
            np.matmul(ws.dy_times_y, ws.ones_hd, out=ws.att_row)
            datt -= ws.att_row
            datt *= act.att
            np.matmul(datt, act.k, out=ws.dq)  # gradient w.r.t. the scaled q
            np.matmul(datt.transpose(0, 1, 3, 2), act.q, out=ws.dk)
            dqkv5 = ws.dqkv.reshape(B, T, 3, H, hd)
            np.multiply(ws.dq.transpose(0, 2, 1, 3), scale, out=dqkv5[:, :, 0])
            np.copyto(dqkv5[:, :, 1], ws.dk.transpose(0, 2, 1, 3))
            np.copyto(dqkv5[:, :, 2], ws.dv.transpose(0, 2, 1, 3))
            np.matmul(act.ln1_out.T, ws.dqkv, out=grads[p + "attn.qkv.weight"])
            np.matmul(ws.ones_n, ws.dqkv, out=grads[p + "attn.qkv.bias"])
            np.matmul(ws.dqkv, params[p + "attn.qkv.weight"].T, out=ws.d_ln_out)
            self._ln_backward(
                ws.d_ln_out,
                act.ln1_xhat,
                act.ln1_rstd,
                params[p + "ln1.gain"],
                grads[p + "ln1.gain"],
                grads[p + "ln1.bias"],
                dh,
                ws,
            )
        # --- embeddings: h0 = token[x] + position[:T] (+ place[places of x] + previous_digit[...])
        gpos = grads["embed.position"]
        np.sum(dh.reshape(B, T, d), axis=0, out=gpos[:T])
        gpos[T:] = 0
        if ws.place_one_hot is not None:
            np.matmul(ws.place_one_hot.T, dh, out=grads["embed.place"])
            np.matmul(ws.digit_one_hot.T, dh, out=grads["embed.previous_digit"])
        if ws.order_one_hot is not None:
            np.matmul(ws.order_one_hot.T, dh, out=grads["embed.number_order"])
        gtok = grads["embed.token"]
        if not c.tied and ws.one_hot is None:
            gtok.fill(0)
        if ws.one_hot is not None:
            one_hot = ws.one_hot
            one_hot.fill(0)
            one_hot[ws.rows, x.reshape(-1)] = 1
            if c.tied:  # add to the output-side gradient already in gtok
                gtok += np.matmul(one_hot.T, dh, out=ws.embed_scratch)
            else:
                np.matmul(one_hot.T, dh, out=gtok)
        else:
            np.add.at(gtok, x.reshape(-1), dh)  # repeated ids accumulate

    def _ln_backward(self, dout, xhat, rstd, gain, ggain, gbias, dx_accum, ws: _Workspace) -> None:
        """LayerNorm backward; writes gain/bias grads and ADDS the input gradient to dx_accum."""
        tmp = ws.ln_scratch
        np.multiply(dout, xhat, out=tmp)
        np.matmul(ws.ones_n, tmp, out=ggain)
        np.matmul(ws.ones_n, dout, out=gbias)
        dxhat = dout  # dout is scratch owned by the caller; reuse it in place
        dxhat *= gain
        np.matmul(dxhat, ws.mean_d, out=ws.row_shift)
        np.multiply(dxhat, xhat, out=tmp)
        np.matmul(tmp, ws.mean_d, out=ws.row_scale)
        np.multiply(xhat, ws.row_scale, out=tmp)
        dxhat -= tmp
        dxhat -= ws.row_shift
        dxhat *= rstd
        dx_accum += dxhat

    def _gelu_backward(self, act: _LayerActivations, ws: _Workspace) -> None:
        """ws.dg *= gelu'(u), in cache-sized row blocks.

        With s = 0.5 (1 + t) and g = u s: 1 - t^2 = 4 s (1 - s), so
        gelu'(u) = s + 0.5 u (1 - t^2) c (1 + 3 a u^2) = s + g (1 - s) (2c + 6ac u^2):
        8 array passes instead of 11 for the textbook form.
        """
        f = self.dtype.type
        for rows in ws.gelu_blocks:
            u, s, g, dg = act.u[rows], act.s[rows], act.g[rows], ws.dg[rows]
            a, b = ws.gelu_slope[rows], ws.gelu_poly[rows]
            np.multiply(u, u, out=b)
            b *= f(6.0 * GELU_A * GELU_C)
            b += f(2.0 * GELU_C)
            np.subtract(f(1.0), s, out=a)
            a *= g
            a *= b
            a += s
            dg *= a


def _softmax_exact(scores: np.ndarray) -> None:
    """Softmax over the last axis in place, shifted by each row's own maximum."""
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mu = x.mean(axis=-1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(axis=-1, keepdims=True)
    return xc / np.sqrt(var + LN_EPS) * gain + bias
