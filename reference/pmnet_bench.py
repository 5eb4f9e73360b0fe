#!/usr/bin/python3
"""Eager-PyTorch counterpart of memlab.bench.PmnetBench: one training step of the copy-paste PMNet.

The model is memlab.pmnet.PhasorNet written again in PyTorch: the sliding-window transformer of
mixers_bench.py (token + position embeddings, blocks of LayerNorm, windowed attention, residual,
LayerNorm, MLP x2 GELU, residual; final LayerNorm, head), with a phasor memory layer after every
k-th block added to the residual stream (x <- x + memory(x)). The memory runs position by position
and level by level, the whole batch at once, as PhasorMemory.forwardStepwise does:

  x = LN(h);  q = pi tanh(W_q x);  theta = pi tanh(W_theta x);  q_r = pi tanh(W_r x)
  per level: the group's slots s (picked by the route), phases s + a, features [sin, cos],
      k = pi tanh(W_k features),  w = softmax_i(sum_c cos(q_c - k_ic) / sqrt(d)),
      s <- (s + w theta) mod 2 pi  written back into the group's row,  route <- 4 route + argmax w
  read after the writes: the same descent with q_r, v_l = sum_i w_i features_i;  y = W_o [v_0; ...]

One step = forward, cross-entropy at the span's answer positions, backward, Adam, on a fresh random
copy-paste batch (the times do not depend on the bytes). Served through bench_server.py (lines
"<batch> <steps>" on stdin, one JSON answer each), so that memlab.bench.PmnetBench can interleave the sides.

  /usr/bin/python3 reference/pmnet_bench.py [--span 2 --gap 16 --width 32 --blocks 2 --heads 2
        --window 4 --every 1 --channels 8 --keydim 8 --levels 2 --branching 4 --threads 2 --warmup 2]
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_server  # noqa: E402  (the timing server of every benchmark)
from mixers_bench import Mixer  # noqa: E402  (the same attention the mixers benchmark times)


class Memory(nn.Module):
    def __init__(self, d, c, dk, levels, branch, heads):
        super().__init__()
        self.c, self.dk, self.levels, self.b, self.heads = c, dk, levels, branch, heads
        self.norm = nn.LayerNorm(d)
        self.query, self.read_query = nn.Linear(d, dk), nn.Linear(d, heads * dk)
        self.key, self.angle = nn.Linear(2 * c, dk), nn.Linear(d, c)
        self.out = nn.Linear(heads * levels * 2 * c, d)
        self.anchors = nn.ParameterList(
            [nn.Parameter((torch.rand(branch ** l, branch * c) * 2 - 1) * math.pi) for l in range(levels)])

    def address(self, state, level, group, q):
        n = group.shape[0]
        rows = torch.arange(n)
        slot = state[rows, group].reshape(n, self.b, self.c)
        phase = slot + self.anchors[level][group].reshape(n, self.b, self.c)
        feats = torch.cat([phase.sin(), phase.cos()], -1)
        k = math.pi * torch.tanh(self.key(feats))
        w = ((q[:, None, :] - k).cos().sum(-1) / math.sqrt(self.dk)).softmax(-1)
        return slot, feats, w, w.argmax(-1)

    def forward(self, h):
        n, t_len, _ = h.shape
        x = self.norm(h)
        q = math.pi * torch.tanh(self.query(x))
        qr = math.pi * torch.tanh(self.read_query(x)).reshape(n, t_len, self.heads, self.dk)
        theta = math.pi * torch.tanh(self.angle(x))
        state = [torch.zeros(n, self.b ** l, self.b * self.c) for l in range(self.levels)]
        reads = []
        for t in range(t_len):
            group = torch.zeros(n, dtype=torch.long)
            for l in range(self.levels):
                slot, _, w, top = self.address(state[l], l, group, q[:, t])
                new = torch.remainder(slot + w[..., None] * theta[:, t, None, :], 2 * math.pi)
                pick = F.one_hot(group, self.b ** l).float()
                state[l] = state[l] + pick[:, :, None] * (new - slot).reshape(n, 1, -1)
                group = group * self.b + top
            values = []
            for r in range(self.heads):
                route = torch.zeros(n, dtype=torch.long)
                for l in range(self.levels):
                    _, feats, w, top = self.address(state[l], l, route, qr[:, t, r])
                    values.append((w[..., None] * feats).sum(1))
                    route = route * self.b + top
            reads.append(torch.cat(values, -1))
        return self.out(torch.stack(reads, 1))


class PhasorNet(nn.Module):
    def __init__(self, a, vocab, length):
        super().__init__()
        d = a.width
        self.tok = nn.Parameter(torch.randn(vocab, d) * 0.02)
        self.pos = nn.Parameter(torch.randn(length, d) * 0.02)
        self.blocks = nn.ModuleList()
        self.memories = nn.ModuleDict()
        for i in range(a.blocks):
            self.blocks.append(nn.ModuleDict({
                "n1": nn.LayerNorm(d), "mix": Mixer("window", d, a.heads, a.window, 1), "n2": nn.LayerNorm(d),
                "up": nn.Linear(d, 2 * d), "down": nn.Linear(2 * d, d)}))
        for i in range(a.every - 1, a.blocks - 1, a.every):
            self.memories[str(i)] = Memory(d, a.channels, a.keydim, a.levels, a.branching, 1)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, tokens):
        x = self.tok[tokens] + self.pos[: tokens.shape[1]]
        for i, blk in enumerate(self.blocks):
            x = x + blk["mix"](blk["n1"](x))
            x = x + blk["down"](F.gelu(blk["up"](blk["n2"](x))))
            if str(i) in self.memories:
                x = x + self.memories[str(i)](x)
        return self.head(self.norm(x))


class Trainer:
    """One warm copy-paste training loop at one batch size (Adam 3e-3), fresh random bytes every step."""

    def __init__(self, a, batch):
        vocab, self.length = 258, 2 * a.span + a.gap + 2
        self.batch = batch
        self.model = PhasorNet(a, vocab, self.length)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=3e-3)
        self.gen = torch.Generator().manual_seed(1)
        self.answers = torch.zeros(batch, self.length)
        self.answers[:, self.length - a.span - 1: self.length - 1] = 1      # the span's answer positions

    def step(self):
        tokens = torch.randint(256, (self.batch, self.length), generator=self.gen)
        targets = torch.randint(256, (self.batch, self.length), generator=self.gen)
        picked = self.model(tokens).log_softmax(-1).gather(-1, targets[..., None]).squeeze(-1)
        loss = -(picked * self.answers).sum() / self.answers.sum()
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return float(loss)


def main():
    a = bench_server.arguments(__doc__, span=2, gap=16, width=32, blocks=2, heads=2, window=4, every=1, channels=8,
                               keydim=8, levels=2, branching=4)
    bench_server.serve(lambda batch: Trainer(a, batch), a.threads, a.warmup)


if __name__ == "__main__":
    main()
