"""Golden fixture for memlab.ntm.Ntm: the same NTM written independently in PyTorch (float64).

Run with Debian's python3-torch:  /usr/bin/python3 reference/ntm_reference.py > lib/src/test/resources/fixtures/ntm_tiny.txt

Two tiny cases, each with its own random weights (stored in memlab's layout: weight (1, in, out),
bias (1, 1, out)), one input batch of the copy task, and what the model computed: read and write
weightings of every step, logits, final memory, cost in bits per sequence, and the gradient of the
cost for every parameter.
  a: LSTM controller, 2 read + 2 write heads (the multi-head erase product), shifts -1..+1, output from [h; r]
  b: feed-forward controller, 1 read + 1 write head, shifts -2..+2, output from the reads only
Both use a learned initial memory, so the start memory is a weight the fixture carries.

The maths follows Graves, Wayne, Danihelka (2014), "Neural Turing Machines", eq. 2-9, written as
its definitions (circular convolution by torch.roll over each shift, erase as a product over heads),
not as memlab's batched forms.
"""
import math
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def cosine(memory, key):
    # K(u, v) = u.v / (|u| |v| + 1e-8); memory (B, S, D), key (B, D) -> (B, S)
    dot = (memory * key[:, None, :]).sum(-1)
    return dot / (memory.norm(dim=-1) * key.norm(dim=-1, keepdim=True) + 1e-8)


def address(raw, memory, prev, d, k):
    key = raw[:, :d]
    beta = F.softplus(raw[:, d])
    g = torch.sigmoid(raw[:, d + 1])
    s = torch.softmax(raw[:, d + 2:d + 3 + 2 * k], dim=-1)
    gamma = 1 + F.softplus(raw[:, d + 3 + 2 * k])
    wc = torch.softmax(beta[:, None] * cosine(memory, key), dim=-1)
    wg = g[:, None] * wc + (1 - g[:, None]) * prev
    shifted = sum(s[:, o + k:o + k + 1] * torch.roll(wg, shifts=o, dims=1) for o in range(-k, k + 1))
    p = shifted ** gamma[:, None]
    return p / p.sum(-1, keepdim=True)


def run(case, W, x, y, mask):
    lstm, hr, hw, d, s_, k, hid, bypass = (case[n] for n in ("lstm", "hr", "hw", "d", "s", "k", "hid", "bypass"))
    b, steps, _ = x.shape
    h = torch.zeros(b, hid)
    c = torch.zeros(b, hid)
    reads = torch.zeros(b, hr * d)
    mem = W["memory.init"][0].expand(b, s_, d).clone()
    w = torch.zeros(b, hr + hw, s_)
    w[:, :, 0] = 1
    la = d + 2 * k + 4
    logits, rw_all, ww_all = [], [], []
    for t in range(steps):
        inp = torch.cat([x[:, t], reads] + ([h] if lstm else []), dim=-1)
        z = inp @ W["controller.weight"][0] + W["controller.bias"][0]
        if lstm:
            i, f, gg, o = z.chunk(4, dim=-1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
            h = torch.sigmoid(o) * torch.tanh(c)
        else:
            h = torch.tanh(z)
        raw = h @ W["heads.weight"][0] + W["heads.bias"][0]
        new_w = [address(raw[:, j * la:(j + 1) * la], mem, w[:, j], d, k) for j in range(hr + hw)]
        w = torch.stack(new_w, 1)
        r = torch.cat([new_w[j][:, None, :] @ mem for j in range(hr)], dim=-1)[:, 0]   # reads of M_{t-1}
        base = (hr + hw) * la
        keep = torch.ones_like(mem)
        add = torch.zeros_like(mem)
        for j in range(hw):
            ea = raw[:, base + j * 2 * d: base + (j + 1) * 2 * d]
            e, a = torch.sigmoid(ea[:, :d]), torch.tanh(ea[:, d:])
            wj = new_w[hr + j]
            keep = keep * (1 - wj[:, :, None] * e[:, None, :])
            add = add + wj[:, :, None] * a[:, None, :]
        mem = mem * keep + add
        reads = r
        feat = torch.cat([h, r], -1) if bypass else r
        logits.append(feat @ W["output.weight"][0] + W["output.bias"][0])
        rw_all.append(w[:, :hr])
        ww_all.append(w[:, hr:])
    z = torch.stack(logits, 1)
    bce = F.softplus(z) - y * z
    cost = (bce * mask).sum() / b / math.log(2)
    return z, torch.stack(rw_all, 1), torch.stack(ww_all, 1), mem, cost


def emit(name, t):
    t = t.detach().reshape(-1) if isinstance(t, torch.Tensor) else torch.tensor([float(t)])
    print(name, ",".join(str(s) for s in SHAPES.get(name, [t.numel()])), " ".join(repr(float(v)) for v in t))


SHAPES = {}


def case_fixture(prefix, case, seed):
    gen = torch.Generator().manual_seed(seed)
    bits, hid, d, s_, k, hr, hw = case["bits"], case["hid"], case["d"], case["s"], case["k"], case["hr"], case["hw"]
    ctl_in = bits + 1 + hr * d + (hid if case["lstm"] else 0)
    shapes = {
        "controller.weight": (1, ctl_in, 4 * hid if case["lstm"] else hid), "controller.bias": (1, 1, 4 * hid if case["lstm"] else hid),
        "heads.weight": (1, hid, (hr + hw) * (d + 2 * k + 4) + hw * 2 * d), "heads.bias": (1, 1, (hr + hw) * (d + 2 * k + 4) + hw * 2 * d),
        "output.weight": (1, (hid if case["bypass"] else 0) + hr * d, bits), "output.bias": (1, 1, bits),
        "memory.init": (1, s_, d),
    }
    W = {n: (torch.randn(*sh, generator=gen) * 0.7).requires_grad_() for n, sh in shapes.items()}
    b, length = 2, case["length"]
    steps = 2 * length + 1
    x = torch.zeros(b, steps, bits + 1)
    y = torch.zeros(b, steps, bits)
    seq = torch.randint(0, 2, (b, length, bits), generator=gen).double()
    x[:, :length, :bits] = seq
    x[:, length, bits] = 1
    y[:, length + 1:, :] = seq
    mask = torch.zeros(1, steps, 1)
    mask[:, length + 1:] = 1
    z, rw, ww, mem, cost = run(case, W, x, y, mask)
    cost.backward()
    for n, t in W.items():
        SHAPES[prefix + n] = list(t.shape)
        emit(prefix + n, t)
    for n, t in (("x", x), ("y", y), ("mask", mask), ("logits", z), ("read_weights", rw), ("write_weights", ww), ("memory", mem)):
        SHAPES[prefix + n] = list(t.shape)
        emit(prefix + n, t)
    emit(prefix + "cost", cost)
    for n, t in W.items():
        SHAPES[prefix + "grad." + n] = list(t.shape)
        emit(prefix + "grad." + n, t.grad)


print("# generated by reference/ntm_reference.py (PyTorch %s, float64); layout: name dims values" % torch.__version__)
case_fixture("a.", dict(lstm=True, bits=3, hid=5, d=4, s=7, k=1, hr=2, hw=2, bypass=True, length=3), 1)
case_fixture("b.", dict(lstm=False, bits=2, hid=4, d=3, s=6, k=2, hr=1, hw=1, bypass=False, length=2), 2)
