#!/usr/bin/python3
"""Eager-PyTorch timing of one training step of the encoder-decoder with soft attention, the maths of
memlab.attention.Seq2Seq (Attention.SOFT) trained as memlab.attention.ReversalTraining does.

Sequence reversal over V symbols of fixed length L; embedding N(0, 1) by one-hot matmul; LSTM encoder and
decoder of H units (gates i, f, g, o; rows [x; h]); additive alignment of size H,
e_tj = v' tanh(W s + U h_j + b), keys U h_j computed once; decoder input the context only (no previous
output); output W_o [s_t; c_t] + b_o; cross-entropy per symbol; Adam 3e-3, no clipping.

Serves timing requests through bench_server.py, so that memlab.bench.PrimerBench can interleave the two sides.

  /usr/bin/python3 reference/attention_bench.py [--threads 1] [--symbols 10] [--length 10] [--hidden 64] [--warmup 2]
"""
import math

import bench_server
import torch
import torch.nn.functional as F


def linear(n_in, n_out):
    bound = 1 / math.sqrt(n_in)
    return [torch.empty(n_in, n_out).uniform_(-bound, bound).requires_grad_(),
            torch.empty(1, n_out).uniform_(-bound, bound).requires_grad_()]


def lstm(w, x, h, c):
    i, f, g, o = (torch.cat([x, h], 1) @ w[0] + w[1]).chunk(4, 1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


class Seq2Seq:
    def __init__(self, symbols, hidden):
        self.v, self.h = symbols, hidden
        self.embed = torch.randn(symbols, hidden).requires_grad_()
        self.enc, self.dec = linear(2 * hidden, 4 * hidden), linear(2 * hidden, 4 * hidden)
        self.query, self.key, self.score = linear(hidden, hidden), linear(hidden, hidden), linear(hidden, 1)
        self.out = linear(2 * hidden, symbols)

    def params(self):
        return [self.embed] + self.enc + self.dec + self.query + self.key + self.score + self.out

    def forward(self, src):
        b, length = src.shape
        x = (F.one_hot(src, self.v).float() @ self.embed).unbind(1)
        h = c = torch.zeros(b, self.h)
        hs = []
        for j in range(length):
            h, c = lstm(self.enc, x[j], h, c)
            hs.append(h)
        states = torch.stack(hs, 1)                                  # (B, L, H)
        keys = states @ self.key[0] + self.key[1]
        v = self.score[0].reshape(-1)                               # v as a row: v' tanh(.) as a product and a sum (as memlab)
        decoded, contexts = [], []
        for _ in range(length):
            q = (h @ self.query[0] + self.query[1]).unsqueeze(1)
            e = (torch.tanh(keys + q) * v).sum(2, keepdim=True) + self.score[1]   # (B, L, 1): alpha broadcasts over H
            alpha = torch.softmax(e, 1)
            ctx = (alpha * states).sum(1)
            h, c = lstm(self.dec, ctx, h, c)
            decoded.append(h)
            contexts.append(ctx)
        # the output layer of all steps in one product after the loop (as memlab)
        return torch.cat([torch.stack(decoded, 1), torch.stack(contexts, 1)], 2) @ self.out[0] + self.out[1]


class Trainer:
    def __init__(self, batch, symbols, length, hidden):
        self.batch, self.symbols, self.length = batch, symbols, length
        self.model = Seq2Seq(symbols, hidden)
        self.opt = torch.optim.Adam(self.model.params(), lr=3e-3)

    def step(self):
        src = torch.randint(0, self.symbols, (self.batch, self.length))
        tgt = src.flip(1)
        logits = self.model.forward(src)
        loss = F.cross_entropy(logits.reshape(-1, self.symbols), tgt.reshape(-1))
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return float(loss)


def main():
    args = bench_server.arguments(__doc__, symbols=10, length=10, hidden=64)
    bench_server.serve(lambda batch: Trainer(batch, args.symbols, args.length, args.hidden), args.threads, args.warmup)


if __name__ == "__main__":
    main()
