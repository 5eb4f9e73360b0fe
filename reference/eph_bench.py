#!/usr/bin/python3
"""Eager-PyTorch CPU timing of the ephemeral-weights update rule, one run, one sequence per step.

Same rule as memlab.ephemeral.EphemeralNet (DFA, no recurrence, decay of the value, reset at
sequence start): per character
    a = [x;1] (S*(1-M) + E),  h = relu(a),  z = h Wout + bout,  e = softmax(z) - y
    delta = (e Bfb) * (a > 0)
    E <- gamma * (E - lr * alpha * M * ([x;1] outer delta))
and at the sequence end the slow weights take  S <- S - lr * sum_t g_t.
Task: 3-character reversed sequences over 'abcdefgh' (abcba / abccba).

  --mode explicit : the gradient formulas written out (what the Java model does)
  --mode autograd : the gradient of each character's loss by loss.backward() (the natural way)
Prints one JSON line: character-steps per second.

  /usr/bin/python3 reference/eph_bench.py [--steps 300] [--warmup 30] [--threads 2] [--mode explicit|autograd|both]
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


def run(mode, steps, warmup, lr=1e-4, alpha=1e4, frac=0.1, gamma=0.7, seed=0):
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
        for t in range(len(seq) - 1):
            u = torch.cat([eye[seq[t]], torch.ones(1)])
            y = eye[seq[t + 1]]
            if mode == "explicit":
                a = u @ (Seff + E)
                h = torch.relu(a)
                e = torch.softmax(h @ Wout + bout, 0) - y
                delta = (e @ Bfb) * (a > 0)
                g = torch.outer(u, delta)
            else:
                W = (Seff + E).requires_grad_(True)
                a = u @ W
                a.retain_grad()
                h = torch.relu(a)
                # DFA: only dL/dz comes from autograd; the hidden error goes through Bfb
                zz = h @ Wout + bout
                loss = -torch.log_softmax(zz, 0)[seq[t + 1]]
                e = torch.autograd.grad(loss, zz, retain_graph=True)[0]
                delta = (e @ Bfb) * (a > 0)
                (W_grad,) = torch.autograd.grad(a, W, grad_outputs=delta)
                g = W_grad
                h = h.detach()
            E = gamma * (E - lr * alpha * M * g)
            gS += g
            gW += torch.outer(h, e)
            gb += e
            chars += 1
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
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    out = {"torch": torch.__version__, "threads": a.threads}
    modes = ["explicit", "autograd"] if a.mode == "both" else [a.mode]
    with torch.no_grad():
        if "explicit" in modes:
            out["explicit_char_steps_per_s"] = run("explicit", a.steps, a.warmup)
    if "autograd" in modes:
        out["autograd_char_steps_per_s"] = run("autograd", a.steps, a.warmup)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
