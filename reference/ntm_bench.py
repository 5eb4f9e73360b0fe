#!/usr/bin/python3
"""Eager-PyTorch timing of one NTM copy-task training step, the maths of memlab.ntm.Ntm.

LSTM controller 100, memory 128 x 20, one read and one write head, shifts -1..+1, output from
[h; r]; copy task with 8 bits and a fixed length L (T = 2L + 1); cost in bits; Adam 1e-4 with
global-norm clipping at 10 (torch.nn.utils.clip_grad_norm_). Each addressing stage is written as in
memlab (all heads at once; circular shift as the weighting rolled by each shift, from one split, weighted by the shift distribution),
so both sides run the same operations.

Serves timing requests through bench_server.py so that memlab.bench.NtmBench can interleave the two sides: reads lines
"<batch> <steps>" on stdin and answers each with one JSON line {"batch": B, "sec_per_step": s}.
The model for each batch size is built (and warmed up) on first use and kept.

  /usr/bin/python3 reference/ntm_bench.py [--threads 1] [--length 20] [--warmup 2]
"""
import math

import bench_server
import torch
import torch.nn.functional as F

BITS, HID, S, D, K = 8, 100, 128, 20, 1
HR, HW = 1, 1
LA = D + 2 * K + 4


def linear(n_in, n_out):
    bound = 1 / math.sqrt(n_in)
    return [torch.empty(n_in, n_out).uniform_(-bound, bound).requires_grad_(),
            torch.empty(1, n_out).uniform_(-bound, bound).requires_grad_()]


class Ntm:
    def __init__(self):
        self.ctl = linear(BITS + 1 + HR * D + HID, 4 * HID)
        self.heads = linear(HID, (HR + HW) * LA + HW * 2 * D)
        self.out = linear(HID + HR * D, BITS)

    def params(self):
        return self.ctl + self.heads + self.out

    def address(self, raw, mem, prev):
        key, beta, g, s, gamma = raw.split([D, 1, 1, 2 * K + 1, 1], dim=2)
        beta, g, s, gamma = F.softplus(beta), torch.sigmoid(g), torch.softmax(s, dim=2), 1 + F.softplus(gamma)
        dot = key @ mem.transpose(1, 2)
        cos = dot / (key.norm(dim=2, keepdim=True) * mem.norm(dim=2).unsqueeze(1) + 1e-8)
        wc = torch.softmax(cos * beta, dim=2)
        wg = prev + (wc - prev) * g
        # w rolled by each shift o in -K..K, from one split into the first K slots, the middle, the last K
        pieces = wg.split([1] * K + [S - 2 * K] + [1] * K, dim=2)
        n_p = len(pieces)
        # all windows as one concatenation of the rolled piece lists, window after window (as memlab.memory.CircularShift)
        windows = torch.cat([pieces[(((n_p - o) % n_p if o >= 0 else -o) + i) % n_p] for o in range(-K, K + 1) for i in range(n_p)], dim=2)
        n, h = wg.shape[0], wg.shape[1]
        shifted = (s.reshape(n * h, 1, 2 * K + 1) @ windows.reshape(n * h, 2 * K + 1, S)).reshape(n, h, S)
        p = shifted ** gamma
        return p / p.sum(dim=2, keepdim=True)

    def forward(self, x):
        b, steps, _ = x.shape
        wx, wstate = self.ctl[0][:BITS + 1], self.ctl[0][BITS + 1:]
        xg = (x @ wx + self.ctl[1]).unbind(1)
        mem = torch.full((b, S, D), 1e-6)
        h = torch.zeros(b, HID)
        c = torch.zeros(b, HID)
        reads = torch.zeros(b, HR * D)
        w = torch.zeros(b, HR + HW, S)
        w[:, :, 0] = 1
        hs, rs = [], []
        for t in range(steps):
            i, f, gg, o = (xg[t] + torch.cat([reads, h], 1) @ wstate).chunk(4, 1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
            h = torch.sigmoid(o) * torch.tanh(c)
            raw = h @ self.heads[0] + self.heads[1]
            addr, ea = raw.split([(HR + HW) * LA, HW * 2 * D], dim=1)
            w = self.address(addr.reshape(b, HR + HW, LA), mem, w)
            rw, ww = w.split([HR, HW], dim=1)
            r = (rw @ mem).reshape(b, HR * D)
            e, a = ea.reshape(b, HW, 2 * D).split([D, D], dim=2)
            wt = ww.reshape(b, S, 1)                   # one write head: M + w (a - e M), as memlab.memory.Memory.writeOne
            mem = wt * (torch.tanh(a) - torch.sigmoid(e) * mem) + mem
            reads = r
            hs.append(h)
            rs.append(r)
        feat = torch.cat([torch.stack(hs, 1), torch.stack(rs, 1)], 2)
        return feat @ self.out[0] + self.out[1]


class Trainer:
    def __init__(self, batch, length):
        self.batch, self.length = batch, length
        self.model = Ntm()
        self.opt = torch.optim.Adam(self.model.params(), lr=1e-4)

    def step(self):
        b, l = self.batch, self.length
        steps = 2 * l + 1
        seq = torch.randint(0, 2, (b, l, BITS)).float()
        x = torch.zeros(b, steps, BITS + 1)
        x[:, :l, :BITS] = seq
        x[:, l, BITS] = 1
        y = torch.zeros(b, steps, BITS)
        y[:, l + 1:] = seq
        mask = torch.zeros(1, steps, 1)
        mask[:, l + 1:] = 1
        z = self.model.forward(x)
        cost = ((F.softplus(z) - y * z) * mask).sum() / b / math.log(2)
        self.opt.zero_grad()
        cost.backward()
        torch.nn.utils.clip_grad_norm_(self.model.params(), 10.0)
        self.opt.step()
        return float(cost)


def main():
    args = bench_server.arguments(__doc__, length=20)
    bench_server.serve(lambda batch: Trainer(batch, args.length), args.threads, args.warmup)


if __name__ == "__main__":
    main()
