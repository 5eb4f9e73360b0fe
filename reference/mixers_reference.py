#!/usr/bin/python3
"""PyTorch reference for memlab.mixers: each mixer written as its definition, a plain loop.

For each of the five mixers (full causal attention, sliding-window attention with w = 3, linear
attention with phi = elu + 1, DeltaNet, Gated DeltaNet) this script draws tiny weights and an input,
runs the mixer one sequence, one head and one position at a time (the equations of the Javadoc,
written here independently of the Java code), and writes the weights, the input, the output and the
gradients of  loss = sum(y * probe)  to a JSON fixture for the Java test MixerFixtureTest.

Weights are stored as memlab stores them: a weight (in, out) with  y = x W + b, bias (1, out).

  /usr/bin/python3 reference/mixers_reference.py [--out lib/src/test/resources/fixtures/mixers_tiny.json]
"""
import argparse
import json
import math
import os

import torch
import torch.nn.functional as F

B, T, D, H, WINDOW = 2, 6, 4, 2, 3
DECAY_OFFSET = 3.0  # GatedDeltaNet: alpha = sigmoid(x w_a + b_a + 3)


def attention(q, k, v, window):
    """o_t = sum_{t-w < j <= t} softmax_j(q_t . k_j / sqrt(d)) v_j, per sequence and head."""
    out = torch.zeros_like(v)
    d = q.shape[-1]
    for b in range(q.shape[0]):
        for h in range(q.shape[1]):
            for t in range(q.shape[2]):
                js = [j for j in range(t + 1) if t - j < window]
                s = torch.stack([q[b, h, t] @ k[b, h, j] / math.sqrt(d) for j in js])
                w = torch.softmax(s, 0)
                out[b, h, t] = sum(w[i] * v[b, h, j] for i, j in enumerate(js))
    return out


def linear_attention(q, k, v):
    """S_t = S + phi(k) v^T, z_t = z + phi(k), o_t = S^T phi(q) / (z . phi(q)), phi = elu + 1."""
    phi = lambda x: F.elu(x) + 1
    out = torch.zeros_like(v)
    for b in range(q.shape[0]):
        for h in range(q.shape[1]):
            S = torch.zeros(q.shape[-1], v.shape[-1])
            z = torch.zeros(q.shape[-1])
            for t in range(q.shape[2]):
                S = S + torch.outer(phi(k[b, h, t]), v[b, h, t])
                z = z + phi(k[b, h, t])
                out[b, h, t] = S.T @ phi(q[b, h, t]) / (z @ phi(q[b, h, t]))
    return out


def delta_rule(q, k, v, beta, alpha):
    """S_t = a S + b k (v - a S^T k)^T, o_t = S^T q; q, k unit; alpha None = DeltaNet."""
    out = torch.zeros_like(v)
    for b in range(q.shape[0]):
        for h in range(q.shape[1]):
            S = torch.zeros(q.shape[-1], v.shape[-1])
            for t in range(q.shape[2]):
                kt = k[b, h, t] / torch.sqrt((k[b, h, t] ** 2).sum() + 1e-6)
                qt = q[b, h, t] / torch.sqrt((q[b, h, t] ** 2).sum() + 1e-6)
                if alpha is not None:
                    S = alpha[b, h, t] * S
                S = S + beta[b, h, t] * torch.outer(kt, v[b, h, t] - S.T @ kt)
                out[b, h, t] = S.T @ qt
    return out


def split(y):
    """(B, T, H*d) -> (B, H, T, d)"""
    return y.reshape(B, T, H, -1).permute(0, 2, 1, 3)


def mixer(kind, x, p):
    lin = lambda n: x @ p[n + ".weight"] + p[n + ".bias"]
    q, k, v = split(lin("m.q")), split(lin("m.k")), split(lin("m.v"))
    if kind == "attention":
        o = attention(q, k, v, T)
    elif kind == "window":
        o = attention(q, k, v, WINDOW)
    elif kind == "linear":
        o = linear_attention(q, k, v)
    else:
        beta = torch.sigmoid(lin("m.beta")).permute(0, 2, 1)  # (B, H, T)
        alpha = torch.sigmoid(lin("m.alpha") + DECAY_OFFSET).permute(0, 2, 1) if kind == "gated" else None
        o = delta_rule(q, k, v, beta, alpha)
    return o.permute(0, 2, 1, 3).reshape(B, T, D) @ p["m.o.weight"] + p["m.o.bias"]


def names(kind):
    n = ["m.q", "m.k", "m.v", "m.o"] + (["m.beta"] if kind in ("delta", "gated") else []) \
        + (["m.alpha"] if kind == "gated" else [])
    out = []
    for m in n:
        width = H if m in ("m.beta", "m.alpha") else D
        out += [(m + ".weight", (D, width)), (m + ".bias", (1, width))]
    return out


def tensor(t):
    return {"shape": list(t.shape), "data": [round(float(a), 8) for a in t.reshape(-1)]}


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "lib/src/test/resources/fixtures/mixers_tiny.json"))
    args = ap.parse_args()
    torch.manual_seed(13)
    fixture = {"B": B, "T": T, "D": D, "H": H, "window_size": WINDOW}
    for kind in ("attention", "window", "linear", "delta", "gated"):
        p = {n: (torch.randn(s) * 0.7).requires_grad_() for n, s in names(kind)}
        x = torch.randn(B, T, D)
        probe = torch.randn(B, T, D)
        y = mixer(kind, x, p)
        (y * probe).sum().backward()
        entry = {"x": tensor(x), "probe": tensor(probe), "y": tensor(y.detach())}
        for n, t in p.items():
            entry[n] = tensor(t.detach())
            entry["grad." + n] = tensor(t.grad)
        fixture[kind] = entry
    with open(args.out, "w") as f:
        json.dump(fixture, f)
    print("wrote", os.path.normpath(args.out))


if __name__ == "__main__":
    main()
