#!/usr/bin/python3
"""Eager-PyTorch counterpart of memlab.bench.MixerBench: one training step of the recall model.

The model is memlab.mixers.SequenceModel written again in PyTorch with the same fast forms:
token + position embeddings, L blocks of (LayerNorm, mixer, residual, LayerNorm, MLP x2 GELU,
residual), final LayerNorm, output head; cross-entropy at the answer positions; Adam.  Mixers:
attention and sliding window (masked scores), linear attention (parallel form, phi = elu + 1,
normalised), DeltaNet and Gated DeltaNet (chunk-wise WY/UT form with an explicit inverse of
I + A, as DeltaRule.chunked).  One step = forward, backward, Adam update, on fresh random tokens.

It serves requests on stdin so the Java benchmark can interleave both sides without paying
Python's start-up each time: a line "MIXER STEPS" (mixer one of attention, window, linear,
delta, gated) is answered by one JSON line {"mixer":..., "sec_per_step":...}; the first
request for a mixer builds its model and runs warm-up steps.

  /usr/bin/python3 reference/mixers_bench.py [--batch 32 --length 256 --width 128 --heads 2
        --vocab 256 --layers 2 --window 64 --chunk 64 --threads 2 --warmup 3]
  /usr/bin/python3 reference/mixers_bench.py --check   # these fast forms against mixers_reference.py's loops
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def attend(q, k, v, window):
    n, t, d = q.shape
    i = torch.arange(t)
    diff = i[:, None] - i[None, :]
    visible = ((diff >= 0) & (diff < window)).float()
    s = q @ k.transpose(1, 2) / math.sqrt(d)
    return (s * visible + (visible - 1) * 1e9).softmax(-1) @ v


def linear_parallel(q, k, v):
    fq, fk = F.elu(q) + 1, F.elu(k) + 1
    t = q.shape[1]
    a = (fq @ fk.transpose(1, 2)) * torch.tril(torch.ones(t, t))
    return (a @ v) / a.sum(-1, keepdim=True)


def delta_chunked(q, k, v, beta, log_alpha, c):
    n, t, dk = q.shape
    dv = v.shape[-1]
    c = min(c, t)
    chunks = (t + c - 1) // c
    pad = chunks * c - t
    if pad:
        z = lambda x: F.pad(x, (0, 0, 0, pad)) if x.dim() == 3 else F.pad(x, (0, pad))
        q, k, v, beta = z(q), z(k), z(v), z(beta)
        log_alpha = z(log_alpha) if log_alpha is not None else None
    rows = n * chunks
    qc, kc, vc = q.reshape(rows, c, dk), k.reshape(rows, c, dk), v.reshape(rows, c, dv)
    bc = beta.reshape(rows, c, 1)
    causal = torch.tril(torch.ones(c, c))
    strict = torch.tril(torch.ones(c, c), -1)
    gamma, decay, to_end = causal, None, None
    if log_alpha is not None:
        b = log_alpha.reshape(rows, c).cumsum(1)
        diff = b[:, :, None] - b[:, None, :]
        gamma = (diff * causal + (causal - 1) * 1e9).exp()
        decay = b.exp()[:, :, None]
        to_end = (b[:, -1:] - b).exp()[:, :, None]
    a = (kc @ kc.transpose(1, 2)) * gamma * strict * bc
    tm = torch.inverse(torch.eye(c) + a) * bc.reshape(rows, 1, c)
    w = tm @ (kc if decay is None else kc * decay)
    u = tm @ vc
    qk = (qc @ kc.transpose(1, 2)) * gamma
    qd = qc if decay is None else qc * decay
    kd = kc if to_end is None else kc * to_end
    w4, u4, qk4 = w.reshape(n, chunks, c, dk), u.reshape(n, chunks, c, dv), qk.reshape(n, chunks, c, c)
    qd4, kd4 = qd.reshape(n, chunks, c, dk), kd.reshape(n, chunks, c, dk)
    cd = None if decay is None else decay.reshape(n, chunks, c)
    s = torch.zeros(n, dk, dv)
    outs = []
    for i in range(chunks):
        ui = u4[:, i] - w4[:, i] @ s
        outs.append(qd4[:, i] @ s + qk4[:, i] @ ui)
        carried = s if cd is None else s * cd[:, i, c - 1].reshape(n, 1, 1)
        s = carried + kd4[:, i].transpose(1, 2) @ ui
    return torch.cat(outs, 1)[:, :t]


def l2(x):
    return x / torch.sqrt((x * x).sum(-1, keepdim=True) + 1e-6)


class Mixer(nn.Module):
    def __init__(self, kind, d, h, window, chunk):
        super().__init__()
        self.kind, self.h, self.window, self.chunk = kind, h, window, chunk
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        if kind in ("delta", "gated"):
            self.beta = nn.Linear(d, h)
        if kind == "gated":
            self.alpha = nn.Linear(d, h)

    def forward(self, x):
        b, t, d = x.shape
        h = self.h
        split = lambda y: y.reshape(b, t, h, -1).transpose(1, 2).reshape(b * h, t, -1)
        scalar = lambda y: y.transpose(1, 2).reshape(b * h, t)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        if self.kind == "attention":
            o = attend(q, k, v, t)
        elif self.kind == "window":
            o = attend(q, k, v, self.window)
        elif self.kind == "linear":
            o = linear_parallel(q, k, v)
        else:
            beta = torch.sigmoid(scalar(self.beta(x)))
            la = -F.softplus(-(scalar(self.alpha(x)) + 3.0)) if self.kind == "gated" else None
            o = delta_chunked(l2(q), l2(k), v, beta, la, self.chunk)
        return self.o(o.reshape(b, h, t, -1).transpose(1, 2).reshape(b, t, d))


class Model(nn.Module):
    def __init__(self, kind, a):
        super().__init__()
        d = a.width
        self.tok = nn.Parameter(torch.randn(a.vocab, d) * 0.02)
        self.pos = nn.Parameter(torch.randn(a.length, d) * 0.02)
        self.blocks = nn.ModuleList()
        for _ in range(a.layers):
            self.blocks.append(nn.ModuleDict({
                "n1": nn.LayerNorm(d), "mix": Mixer(kind, d, a.heads, a.window, a.chunk), "n2": nn.LayerNorm(d),
                "up": nn.Linear(d, 2 * d), "down": nn.Linear(2 * d, d)}))
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, a.vocab)

    def forward(self, tokens):
        x = self.tok[tokens] + self.pos[: tokens.shape[1]]
        for blk in self.blocks:
            x = x + blk["mix"](blk["n1"](x))
            x = x + blk["down"](F.gelu(blk["up"](blk["n2"](x))))
        return self.head(self.norm(x))


def check():
    """The fast forms here against the plain loops of mixers_reference.py (tiny sizes, chunks of 4 over T = 6)."""
    import os
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import mixers_reference as ref
    torch.manual_seed(3)
    worst = 0.0
    for kind in ("attention", "window", "linear", "delta", "gated"):
        mix = Mixer(kind, ref.D, ref.H, ref.WINDOW, 4)
        p = {}
        for name in ("q", "k", "v", "o", "beta", "alpha"):
            if hasattr(mix, name):
                lin = getattr(mix, name)
                p["m." + name + ".weight"] = lin.weight.detach().T
                p["m." + name + ".bias"] = lin.bias.detach()[None, :]
        x = torch.randn(ref.B, ref.T, ref.D)
        with torch.no_grad():
            err = (mix(x) - ref.mixer(kind, x, p)).abs().max().item()
        print(f"{kind:10s} max |fast - loop| = {err:.2e}")
        worst = max(worst, err)
    if worst > 1e-5:
        sys.exit("fast forms disagree with the reference loops")


def main():
    if "--check" in sys.argv:
        check()
        return
    ap = argparse.ArgumentParser()
    for name, default in (("batch", 32), ("length", 256), ("width", 128), ("heads", 2), ("vocab", 256),
                          ("layers", 2), ("window", 64), ("chunk", 64), ("threads", 2), ("warmup", 3)):
        ap.add_argument("--" + name, type=int, default=default)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    models = {}
    gen = torch.Generator().manual_seed(1)

    def step(model, opt):
        tokens = torch.randint(a.vocab, (a.batch, a.length), generator=gen)
        targets = torch.randint(a.vocab, (a.batch, a.length), generator=gen)
        answers = (torch.rand(a.batch, a.length, generator=gen) < 0.1).float()
        logp = model(tokens).log_softmax(-1)
        picked = logp.gather(-1, targets[..., None]).squeeze(-1)
        loss = -(picked * answers).sum() / answers.sum().clamp(min=1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return float(loss)

    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": a.threads}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        kind, steps = parts[0], int(parts[1])
        if kind not in models:
            m = Model(kind, a)
            o = torch.optim.Adam(m.parameters(), lr=1e-3)
            for _ in range(a.warmup):
                step(m, o)
            models[kind] = (m, o)
        m, o = models[kind]
        t0 = time.perf_counter()
        for _ in range(steps):
            step(m, o)
        print(json.dumps({"mixer": kind, "sec_per_step": (time.perf_counter() - t0) / steps}), flush=True)


if __name__ == "__main__":
    main()
