"""Golden fixture for memlab.dnc.Dnc: the same DNC written independently in PyTorch (float64).

Run with Debian's python3-torch:  /usr/bin/python3 reference/dnc_reference.py > lib/src/test/resources/fixtures/dnc_tiny.txt

Two tiny cases, each with its own random weights (stored in memlab's layout: weight (1, in, out),
bias (1, 1, out)), one input batch of the copy task, and what the model computed: usage, write and
read weightings and read modes of every step, the link matrix and memory after the last step,
logits, cost in bits per sequence, and the gradient of the cost for every parameter.
  a: LSTM controller, 2 read heads
  b: feed-forward controller, 1 read head

The maths follows Graves et al. (2016), "Hybrid computing using a neural network with dynamic
external memory", Methods, written as its definitions slot by slot (allocation by a stable sort and
a running product, the link matrix entry by entry), not as memlab's batched forms.
"""
import math

import torch
import torch.nn.functional as F
from copy_fixture import copy_batch, emit

torch.set_default_dtype(torch.float64)


def oneplus(x):
    return 1 + F.softplus(x)


def content(memory, key, strength):
    # C(M, k, beta)[i] = softmax_i(beta * cos(k, M[i])), cos with +1e-8 in the denominator; (B, S, D), (B, D), (B,)
    dot = (memory * key[:, None, :]).sum(-1)
    cos = dot / (memory.norm(dim=-1) * key.norm(dim=-1, keepdim=True) + 1e-8)
    return torch.softmax(strength[:, None] * cos, dim=-1)


def allocation(u):
    # a[phi_j] = (1 - u[phi_j]) prod_{i<j} u[phi_i], phi = ascending sort (stable: ties by index)
    b, s = u.shape
    _, phi = torch.sort(u, dim=-1, stable=True)
    rows = []
    for n in range(b):
        a = [None] * s
        running = torch.ones((), dtype=u.dtype)
        for j in range(s):
            slot = int(phi[n, j])
            a[slot] = (1 - u[n, slot]) * running
            running = running * u[n, slot]
        rows.append(torch.stack(a))
    return torch.stack(rows)


def run(case, W, x, y, mask):
    lstm, R, D, S, hid = (case[n] for n in ("lstm", "r", "d", "s", "hid"))
    b, steps, _ = x.shape
    h = torch.zeros(b, hid)
    c = torch.zeros(b, hid)
    reads = torch.zeros(b, R * D)
    mem = torch.zeros(b, S, D)
    usage = torch.zeros(b, S)
    prec = torch.zeros(b, S)
    link = torch.zeros(b, S, S)
    ww = torch.zeros(b, S)
    wr = [torch.zeros(b, S) for _ in range(R)]
    logits, usages, wws, wrs, modes = [], [], [], [], []
    for t in range(steps):
        inp = torch.cat([x[:, t], reads] + ([h] if lstm else []), dim=-1)
        z = inp @ W["controller.weight"][0] + W["controller.bias"][0]
        if lstm:
            i, f, gg, o = z.chunk(4, dim=-1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
            h = torch.sigmoid(o) * torch.tanh(c)
        else:
            h = torch.tanh(z)
        xi = h @ W["interface.weight"][0] + W["interface.bias"][0]
        at = 0

        def take(k):
            nonlocal at
            part = xi[:, at:at + k]
            at += k
            return part
        rkeys = take(R * D).reshape(b, R, D)
        rstr = oneplus(take(R))
        wkey = take(D)
        wstr = oneplus(take(1))[:, 0]
        erase = torch.sigmoid(take(D))
        wvec = take(D)
        free = torch.sigmoid(take(R))
        ga = torch.sigmoid(take(1))
        gw = torch.sigmoid(take(1))
        pi = torch.softmax(take(3 * R).reshape(b, R, 3), dim=-1)
        # usage
        psi = torch.ones(b, S)
        for i in range(R):
            psi = psi * (1 - free[:, i:i + 1] * wr[i])
        usage = (usage + ww - usage * ww) * psi
        # write weighting and write
        a = allocation(usage)
        cw = content(mem, wkey, wstr)
        ww = gw * (ga * a + (1 - ga) * cw)
        mem = mem * (1 - ww[:, :, None] * erase[:, None, :]) + ww[:, :, None] * wvec[:, None, :]
        # temporal links, entry by entry, then precedence
        new_link = torch.zeros(b, S, S)
        for i in range(S):
            for j in range(S):
                if i != j:
                    new_link[:, i, j] = (1 - ww[:, i] - ww[:, j]) * link[:, i, j] + ww[:, i] * prec[:, j]
        link = new_link
        prec = (1 - ww.sum(-1, keepdim=True)) * prec + ww
        # reads
        new_wr = []
        for i in range(R):
            fwd = torch.einsum("bij,bj->bi", link, wr[i])
            bwd = torch.einsum("bji,bj->bi", link, wr[i])
            cr = content(mem, rkeys[:, i], rstr[:, i])
            new_wr.append(pi[:, i, 0:1] * bwd + pi[:, i, 1:2] * cr + pi[:, i, 2:3] * fwd)
        wr = new_wr
        reads = torch.cat([torch.einsum("bs,bsd->bd", wr[i], mem) for i in range(R)], dim=-1)
        logits.append(torch.cat([h, reads], -1) @ W["output.weight"][0] + W["output.bias"][0])
        usages.append(usage)
        wws.append(ww)
        wrs.append(torch.stack(wr, 1))
        modes.append(pi)
    z = torch.stack(logits, 1)
    bce = F.softplus(z) - y * z
    cost = (bce * mask).sum() / b / math.log(2)
    return dict(logits=z, usage=torch.stack(usages, 1), write_weights=torch.stack(wws, 1), read_weights=torch.stack(wrs, 1),
                read_modes=torch.stack(modes, 1), links=link, memory=mem), cost


def case_fixture(prefix, case, seed):
    gen = torch.Generator().manual_seed(seed)
    bits, hid, D, S, R = case["bits"], case["hid"], case["d"], case["s"], case["r"]
    ctl_in = bits + 1 + R * D + (hid if case["lstm"] else 0)
    gates = 4 * hid if case["lstm"] else hid
    xi = R * D + 3 * D + 5 * R + 3
    shapes = {
        "controller.weight": (1, ctl_in, gates), "controller.bias": (1, 1, gates),
        "interface.weight": (1, hid, xi), "interface.bias": (1, 1, xi),
        "output.weight": (1, hid + R * D, bits), "output.bias": (1, 1, bits),
    }
    W = {n: (torch.randn(*sh, generator=gen) * 0.7).requires_grad_() for n, sh in shapes.items()}
    x, y, mask = copy_batch(gen, case["length"], case["bits"])
    out, cost = run(case, W, x, y, mask)
    cost.backward()
    for n, t in W.items():
        emit(prefix + n, t, list(t.shape))
    for n, t in (("x", x), ("y", y), ("mask", mask)):
        emit(prefix + n, t, list(t.shape))
    for n, t in out.items():
        emit(prefix + n, t, list(t.shape))
    emit(prefix + "cost", cost)
    for n, t in W.items():
        emit(prefix + "grad." + n, t.grad, list(t.shape))


print("# generated by reference/dnc_reference.py (PyTorch %s, float64); layout: name dims values" % torch.__version__)
case_fixture("a.", dict(lstm=True, bits=3, hid=5, d=3, s=5, r=2, length=3), 1)
case_fixture("b.", dict(lstm=False, bits=2, hid=4, d=2, s=4, r=1, length=2), 2)
