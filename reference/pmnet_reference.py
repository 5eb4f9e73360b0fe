#!/usr/bin/python3
"""PyTorch reference for memlab.pmnet.PhasorMemory: the phasor write and read as plain loops.

One memory layer (a tree of 2 levels, groups of 4 slots) applied to a tiny residual stream
h of shape (B, T, D), each sequence, position, level and slot one at a time, in float64, from the
equations of the Javadoc written here independently of the Java code:

  x = LN(h_t);  q = pi tanh(W_q x);  theta = pi tanh(W_theta x)
  per level, group j (root first):  k_i = pi tanh(W_k [sin(s_i + a_i), cos(s_i + a_i)])
      w = softmax_i(sum_c cos(q_c - k_ic) / sqrt(d));  s_i <- (s_i + w_i theta) mod 2 pi   (or tanh(s_i + w_i theta))
      next group = 4 j + argmax_i w_i
  read (after the write): the same descent with q_r = pi tanh(W_r x), v_l = sum_i w_i [sin, cos](s_i + a_i)
  y_t = W_o [v_0; v_1]

It writes the weights (as memlab stores them: weight (in, out), bias (1, out)), h, the output y,
the final state, every write's slot weights and route, and the gradients of loss = sum(y * probe)
with respect to every parameter and h, to the fixture read by PhasorFixtureTest.

  /usr/bin/python3 reference/pmnet_reference.py [--out lib/src/test/resources/fixtures/pmnet_tiny.json]
"""
import argparse
import json
import math
import os

import torch

B, T, D, C, DK, LEVELS, BRANCH, HEADS = 2, 4, 6, 3, 4, 2, 4, 1


def layer_norm(x, gain, bias):
    mu = x.mean()
    var = ((x - mu) ** 2).mean()
    return (x - mu) / torch.sqrt(var + 1e-5) * gain + bias


def lin(p, n, x):
    return x @ p[n + ".weight"] + p[n + ".bias"][0]


def memory(p, h, unconstrained):
    groups = [BRANCH ** l for l in range(LEVELS)]
    ys, states, writes = [], [], []
    for b in range(B):
        state = [[[torch.zeros(C, dtype=torch.float64) for _ in range(BRANCH)] for _ in range(groups[l])] for l in range(LEVELS)]
        for t in range(T):
            x = layer_norm(h[b, t], p["m.norm.gain"][0], p["m.norm.bias"][0])
            q = math.pi * torch.tanh(lin(p, "m.query", x))
            theta = math.pi * torch.tanh(lin(p, "m.angle", x))
            qr = math.pi * torch.tanh(lin(p, "m.readQuery", x))

            def attend(level, j, query):
                anchor = p["m.anchors.level%d" % level][j].reshape(BRANCH, C)
                phases = [state[level][j][i] + anchor[i] for i in range(BRANCH)]
                feats = [torch.cat([torch.sin(ph), torch.cos(ph)]) for ph in phases]
                keys = [math.pi * torch.tanh(lin(p, "m.key", f)) for f in feats]
                scores = torch.stack([torch.cos(query - k).sum() / math.sqrt(DK) for k in keys])
                w = torch.softmax(scores, 0)
                return w, feats, int(torch.argmax(w))

            j = 0
            for level in range(LEVELS):
                w, _, top = attend(level, j, q)
                writes.append({"b": b, "t": t, "level": level, "group": j, "weights": w.tolist()})
                for i in range(BRANCH):
                    s = state[level][j][i] + w[i] * theta
                    state[level][j][i] = torch.tanh(s) if unconstrained else torch.remainder(s, 2 * math.pi)
                j = BRANCH * j + top
            values, j = [], 0
            for level in range(LEVELS):
                w, feats, top = attend(level, j, qr)
                values.append(sum(w[i] * feats[i] for i in range(BRANCH)))
                j = BRANCH * j + top
            ys.append(lin(p, "m.out", torch.cat(values)))
        states.append(state)
    y = torch.stack(ys).reshape(B, T, D)
    return y, states, writes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "lib", "src", "test", "resources", "fixtures", "pmnet_tiny.json"))
    args = ap.parse_args()
    g = torch.Generator().manual_seed(14)

    def u(*shape, bound=1.0):
        return ((torch.rand(*shape, generator=g, dtype=torch.float64) * 2 - 1) * bound).requires_grad_(True)

    shapes = {"m.norm.gain": (1, D), "m.norm.bias": (1, D),
              "m.query.weight": (D, DK), "m.query.bias": (1, DK),
              "m.readQuery.weight": (D, HEADS * DK), "m.readQuery.bias": (1, HEADS * DK),
              "m.key.weight": (2 * C, DK), "m.key.bias": (1, DK),
              "m.angle.weight": (D, C), "m.angle.bias": (1, C),
              "m.out.weight": (HEADS * LEVELS * 2 * C, D), "m.out.bias": (1, D)}
    for l in range(LEVELS):
        shapes["m.anchors.level%d" % l] = (BRANCH ** l, BRANCH * C)
    out = {"B": B, "T": T, "D": D, "C": C, "keyDim": DK, "levels": LEVELS, "branching": BRANCH, "readHeads": HEADS}
    for case, unconstrained in (("none", False), ("unconstrained", True)):
        p = {}
        for n, s in shapes.items():
            if n == "m.norm.gain":
                p[n] = (1 + 0.1 * u(*s)).detach().requires_grad_(True)
            elif n.startswith("m.anchors"):
                p[n] = u(*s, bound=math.pi)
            else:
                p[n] = u(*s, bound=1 / math.sqrt(s[0]) * 2)
        h = u(B, T, D, bound=2.0)
        probe = u(B, T, D)
        y, states, writes = memory(p, h, unconstrained)
        loss = (y * probe).sum()
        loss.backward()
        e = {n: {"shape": list(v.shape), "data": v.detach().reshape(-1).tolist()} for n, v in p.items()}
        e.update({"grad." + n: {"shape": list(v.shape), "data": v.grad.reshape(-1).tolist()} for n, v in p.items()})
        e["h"] = {"shape": list(h.shape), "data": h.detach().reshape(-1).tolist()}
        e["grad.h"] = {"shape": list(h.shape), "data": h.grad.reshape(-1).tolist()}
        e["probe"] = {"shape": list(probe.shape), "data": probe.detach().reshape(-1).tolist()}
        e["y"] = {"shape": list(y.shape), "data": y.detach().reshape(-1).tolist()}
        for l in range(LEVELS):
            # (B, G_l, BRANCH * C), as the Java state of level l
            flat = [float(v) for b in range(B) for j in range(BRANCH ** l) for i in range(BRANCH) for v in states[b][l][j][i].detach()]
            e["state.level%d" % l] = {"shape": [B, BRANCH ** l, BRANCH * C], "data": flat}
        e["writes"] = writes
        out[case] = e
    with open(args.out, "w") as f:
        json.dump(out, f)
    print("wrote", os.path.normpath(args.out))


if __name__ == "__main__":
    main()
