#!/usr/bin/python3
"""Eager-PyTorch CPU timing of EGL copy-task training at the paper setting.

B=32, T=50, input 80, mem 160, S=100; one epoch = one fresh batch x ~ N(0,1)
and fresh memory ~ N(0,1); Adam lr 5e-4; clip_grad_norm_ 1.0; MSE loss.
Link off uses plain autograd ops; link on uses the LinkedWrite Function and
read hooks from egl_reference.py.  Prints one JSON line.

  /usr/bin/python3 reference/egl_bench.py [--epochs 20] [--warmup 3] [--threads 2] [--link on|off|both]
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from egl_reference import AttentionMemoryInterface  # noqa: E402

B, T, IN, D, S = 32, 50, 80, 160, 100


def bench(link, epochs, warmup, seed):
    torch.manual_seed(seed)
    model = AttentionMemoryInterface(IN, D)
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    mode = "function" if link else "plain"

    def epoch():
        x = torch.randn(B, T, IN)
        m0 = torch.randn(B, S, D)
        opt.zero_grad()
        y = model(x, m0, link=link, mode=mode)
        loss = F.mse_loss(y, x)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return float(loss)

    for _ in range(warmup):
        epoch()
    t0 = time.perf_counter()
    loss = float("nan")
    for _ in range(epochs):
        loss = epoch()
    return (time.perf_counter() - t0) / max(epochs, 1), loss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--link", choices=("on", "off", "both"), default="both")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    modes = ["off", "on"] if args.link == "both" else [args.link]
    sec, final = {}, {}
    for m in modes:
        s, l = bench(m == "on", args.epochs, args.warmup, args.seed)
        sec[m] = round(s, 5)
        final[m] = round(l, 6)
    print(json.dumps({"impl": "pytorch", "torch": torch.__version__,
                      "threads": args.threads, "epochs": args.epochs,
                      "warmup": args.warmup, "B": B, "T": T, "in": IN,
                      "mem": D, "slots": S, "sec_per_epoch": sec,
                      "final_loss": final}))


if __name__ == "__main__":
    main()
