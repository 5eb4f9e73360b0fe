"""The timing server shared by the eager-PyTorch benchmarks of the memory models (ntm_bench.py, dnc_bench.py,
attention_bench.py, memn2n_bench.py), so that memlab.bench.NtmBench and PrimerBench can interleave the Java and
PyTorch sides.

A script builds one trainer per batch size (an object with step() returning the cost) and calls serve():
it prints one JSON "ready" line, then reads lines "<batch> <steps>" on stdin and answers each with one
JSON line {"batch": B, "sec_per_step": s, "cpu_per_step": c, "cost": x} (wall time, and CPU time of the whole
process); each trainer is warmed up on first use.
"""
import argparse
import json
import sys
import time

import torch


def arguments(description, **extra):
    """The common flags (--threads, --warmup) plus the script's own, given as name=default."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=2)
    for name, default in extra.items():
        ap.add_argument("--" + name, type=type(default), default=default)
    return ap.parse_args()


def serve(make_trainer, threads, warmup):
    """Answers timing requests on stdin with trainers from make_trainer(batch)."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    trainers = {}
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": threads}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        batch, steps = (int(v) for v in line.split())
        if batch not in trainers:
            trainers[batch] = make_trainer(batch)
            for _ in range(warmup):
                trainers[batch].step()
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(steps):
            cost = trainers[batch].step()
        sec, cpu = (time.perf_counter() - t0) / steps, (time.process_time() - c0) / steps
        print(json.dumps({"batch": batch, "sec_per_step": sec, "cpu_per_step": cpu, "cost": cost}), flush=True)
