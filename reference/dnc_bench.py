#!/usr/bin/python3
"""Eager-PyTorch timing of one DNC copy-task training step, the maths of memlab.dnc.Dnc.

LSTM controller 64, memory 32 x 16, one read head (one write head); copy task with 8 bits and a
fixed length L (T = 2L + 1); cost in bits; Adam 1e-4 with global-norm clipping at 10. Each mechanism
is written as in memlab (allocation by pairwise comparisons and a masked product, without a sort;
the link matrix with an off-diagonal mask), so both sides run the same operations, in place where memlab
adds or negates in place (which saves memlab's Java bookkeeping of a new array; here it measured neutral).

Serves timing requests through bench_server.py, so that memlab.bench.PrimerBench can interleave the two sides.

  /usr/bin/python3 reference/dnc_bench.py [--threads 1] [--length 10] [--warmup 2]
"""
import math

import bench_server
import torch
import torch.nn.functional as F

BITS, HID, S, D, R = 8, 64, 32, 16, 1
XI = R * D + 3 * D + 5 * R + 3


def linear(n_in, n_out):
    bound = 1 / math.sqrt(n_in)
    return [torch.empty(n_in, n_out).uniform_(-bound, bound).requires_grad_(),
            torch.empty(1, n_out).uniform_(-bound, bound).requires_grad_()]


def slots(mem):
    """What every cosine lookup in one memory state shares (memlab's Addressing.Slots)."""
    return mem.transpose(1, 2), mem.norm(dim=2).unsqueeze(1)


def cosine(mem_slots, keys, beta):
    transposed, norms = mem_slots
    dot = keys @ transposed
    cos = dot / (keys.norm(dim=2, keepdim=True) * norms).add_(1e-8)
    return torch.softmax(cos * beta, dim=2)


def allocation(u, at_or_after, ones):
    ui, uj = u.transpose(1, 2), u
    not_before = torch.where(at_or_after, ui >= uj, ui > uj)
    freer = torch.where(not_before, ones, ui).prod(1, keepdim=True)
    return freer - uj * freer


class Dnc:
    def __init__(self):
        self.ctl = linear(BITS + 1 + R * D + HID, 4 * HID)
        self.iface = linear(HID, XI)
        self.out = linear(HID + R * D, BITS)
        idx = torch.arange(S)
        self.at_or_after = (idx.unsqueeze(1) >= idx.unsqueeze(0)).unsqueeze(0)
        self.off = 1 - torch.eye(S)

    def params(self):
        return self.ctl + self.iface + self.out

    def forward(self, x):
        b, steps, _ = x.shape
        wx, wstate = self.ctl[0][:BITS + 1], self.ctl[0][BITS + 1:]
        xg = (x @ wx + self.ctl[1]).unbind(1)
        mem = torch.zeros(b, S, D)
        mem_slots = slots(mem)
        usage = torch.zeros(b, 1, S)
        prec = torch.zeros(b, 1, S)
        ww = torch.zeros(b, 1, S)
        link = torch.zeros(b, S, S)
        wr = torch.zeros(b, R, S)
        h = torch.zeros(b, HID)
        c = torch.zeros(b, HID)
        reads = torch.zeros(b, R * D)
        at_or_after, ones = self.at_or_after.expand(b, S, S), torch.ones(b, S, S)
        hs, rs = [], []
        for t in range(steps):
            i, f, gg, o = (torch.cat([reads, h], 1) @ wstate).add_(xg[t]).chunk(4, 1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
            h = torch.sigmoid(o) * torch.tanh(c)
            xi = (h @ self.iface[0]).add_(self.iface[1]).reshape(b, 1, XI)
            # with R = 1 the read head's parts are already (b, R, D) and (b, R, 1), as in memlab
            rk, rb, wk, wb, e, v, fg, ga, gw, pi = xi.split([R * D, R, D, 1, D, D, R, 1, 1, 3 * R], dim=2)
            rb, wb = F.softplus(rb).add_(1), F.softplus(wb).add_(1)
            e, fg, ga, gw = torch.sigmoid(e), torch.sigmoid(fg), torch.sigmoid(ga), torch.sigmoid(gw)
            pi = torch.softmax(pi.reshape(b, R, 3), dim=2)
            psi = (wr * fg).neg_().add_(1)                      # one read head: the product over heads is its one factor, as in memlab
            usage = (usage + ww).sub_(usage * ww) * psi
            cw = cosine(mem_slots, wk, wb)
            ww = (ga * (allocation(usage, at_or_after, ones) - cw)).add_(cw) * gw
            wt = ww.transpose(1, 2)
            mem = (wt * (v - e * mem)).add_(mem)
            mem_slots = slots(mem)
            link = (link - (wt + ww) * link).add_(wt * prec).mul_(self.off)
            prec = (prec - ww.sum(2, keepdim=True) * prec).add_(ww)
            fwd = wr @ link.transpose(1, 2)
            bwd = wr @ link
            cr = cosine(mem_slots, rk, rb)
            wr = (torch.stack([bwd, cr, fwd], 2) * pi.unsqueeze(3)).sum(2)
            reads = (wr @ mem).reshape(b, R * D)
            hs.append(h)
            rs.append(reads)
        feat = torch.cat([torch.stack(hs, 1), torch.stack(rs, 1)], 2)
        return feat @ self.out[0] + self.out[1]


class Trainer:
    def __init__(self, batch, length):
        self.batch, self.length = batch, length
        self.model = Dnc()
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
    args = bench_server.arguments(__doc__, length=10)
    bench_server.serve(lambda batch: Trainer(batch, args.length), args.threads, args.warmup)


if __name__ == "__main__":
    main()
