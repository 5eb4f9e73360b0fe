#!/usr/bin/python3
"""Eager-PyTorch CPU timing of the ephemeral-weights update rule, one run, one sequence per step.

Same rule as memlab.ephemeral.EphemeralNet (DFA, no recurrence, decay of the value, reset at
sequence start): per character
    a = [x;1] (S*(1-M) + E),  h = relu(a),  z = h Wout + bout,  e = softmax(z) - y
    delta = (e Bfb) * (a > 0)
    E <- gamma * (E - lr * alpha * M * ([x;1] outer delta))
and at the sequence end the slow weights take  S <- S - lr * sum_t g_t.
Task: 3-character reversed sequences over 'abcdefgh' (abcba / abccba).

With metrics (the default) every step also produces what memlab's step returns: mean loss, accuracy
over all positions and over the positions that need memory, the mean per-character norms of the
high- and low-plasticity parts of the gradient, and the largest ephemeral weight, computed once per
step from the stacked per-character tensors (the efficient eager way). --no-metrics times the
update rule alone.

  --mode explicit : the gradient formulas written out (what the Java model does)
  --mode autograd : the gradient of each character's loss by loss.backward() (the natural way)
Prints one JSON line: character-steps per second.

  /usr/bin/python3 reference/eph_bench.py [--steps 300] [--warmup 30] [--threads 2] [--mode explicit|autograd|both] [--no-metrics]
"""
import argparse
import json
import random
import time

import torch

V, H = 8, 256
I = V + 1


def sample(rng):
    half = [rng.randrange(V) for _ in range(3)]
    back = half[::-1][1:] if rng.random() < 0.5 else half[::-1]
    return half + back


def step_metrics(seq, logits, deltas, errors, hiddens, M, E):
    """memlab's per-step metrics, from the stacked per-character tensors (logits or log-probabilities:
    log_softmax leaves the latter unchanged), with one log_softmax per step as memlab does."""
    L = torch.log_softmax(torch.stack(logits), 1)
    D, Er, Hs = torch.stack(deltas), torch.stack(errors), torch.stack(hiddens)
    targets = torch.tensor(seq[1:])
    loss = -L.gather(1, targets.unsqueeze(1)).mean()
    correct = L.argmax(1) == targets
    memory = torch.arange(len(seq) - 1) + 1 >= 3
    d2 = D * D
    high = (d2 * (M[torch.tensor(seq[:-1])] + M[V])).sum(1)
    low = 2 * d2.sum(1) - high + (Er * Er).sum(1) * ((Hs * Hs).sum(1) + 1)
    return (loss.item(), correct.float().mean().item(), correct[memory].float().mean().item(),
            high.sqrt().mean().item(), low.clamp(min=0).sqrt().mean().item(), E.abs().max().item())


def run(mode, steps, warmup, metrics=True, lr=1e-4, alpha=1e4, frac=0.1, gamma=0.7, seed=0):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    bound_in, bound_out = 1 / V ** 0.5, 1 / H ** 0.5
    S = (torch.rand(I, H) * 2 - 1) * bound_in
    Wout = (torch.rand(H, V) * 2 - 1) * bound_out
    bout = (torch.rand(V) * 2 - 1) * bound_out
    M = (torch.rand(I, H) < frac).float()
    Bfb = (torch.rand(V, H) * 2 - 1) * bound_in
    eye = torch.eye(V)
    chars = 0
    t0 = None
    for step in range(steps + warmup):
        if step == warmup:
            t0 = time.perf_counter()
            chars = 0
        seq = sample(rng)
        E = torch.zeros(I, H)
        gS = torch.zeros(I, H)
        gW = torch.zeros(H, V)
        gb = torch.zeros(V)
        Seff = S * (1 - M)
        logits, deltas, errors, hiddens = [], [], [], []
        for t in range(len(seq) - 1):
            u = torch.cat([eye[seq[t]], torch.ones(1)])
            y = eye[seq[t + 1]]
            if mode == "explicit":
                a = u @ (Seff + E)
                h = torch.relu(a)
                z = h @ Wout + bout
                e = torch.softmax(z, 0) - y
                delta = (e @ Bfb) * (a > 0)
                g = torch.outer(u, delta)
            else:
                W = (Seff + E).requires_grad_(True)
                a = u @ W
                a.retain_grad()
                h = torch.relu(a)
                # DFA: only dL/dz comes from autograd; the hidden error goes through Bfb
                zz = h @ Wout + bout
                logp = torch.log_softmax(zz, 0)
                loss = -logp[seq[t + 1]]
                e = torch.autograd.grad(loss, zz, retain_graph=True)[0]
                delta = (e @ Bfb) * (a > 0)
                (W_grad,) = torch.autograd.grad(a, W, grad_outputs=delta)
                g = W_grad
                h = h.detach()
                z = logp.detach()
            if metrics:
                logits.append(z)
                deltas.append(delta)
                errors.append(e)
                hiddens.append(h)
            E = gamma * (E - lr * alpha * M * g)
            gS += g
            gW += torch.outer(h, e)
            gb += e
            chars += 1
        if metrics:
            step_metrics(seq, logits, deltas, errors, hiddens, M, E)
        S -= lr * gS
        Wout -= lr * gW
        bout -= lr * gb
    dt = time.perf_counter() - t0
    return chars / dt


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--mode", default="both")
    p.add_argument("--no-metrics", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    out = {"torch": torch.__version__, "threads": a.threads, "metrics": not a.no_metrics}
    modes = ["explicit", "autograd"] if a.mode == "both" else [a.mode]
    with torch.no_grad():
        if "explicit" in modes:
            out["explicit_char_steps_per_s"] = run("explicit", a.steps, a.warmup, not a.no_metrics)
    if "autograd" in modes:
        out["autograd_char_steps_per_s"] = run("autograd", a.steps, a.warmup, not a.no_metrics)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
