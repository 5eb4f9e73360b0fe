"""Golden fixture for the gradient link on memlab.ntm.Ntm: the paper's rule applied step by step in PyTorch (float64).

Run with Debian's python3-torch:
  /usr/bin/python3 reference/ntm_link_reference.py > lib/src/test/resources/fixtures/ntm_link_tiny.txt

Masuda (2025), "Explicit Gradient Linking Mechanism in Neural Networks with External Memory", eq. of section 4.4:
the gradient G_t arriving at the read output of step t is added, broadcast over the slots, to the gradient of the
memory M_t returned by the write of step t:   grad(M_t) <- grad(M_t) + 1_S (x) sum_k G_t^(k).
memlab realises this with a term that is zero in the forward pass; this script does NOT: it runs the backward
pass by hand, one NTM step at a time from the last to the first (torch.autograd.grad on each step's graph),
and adds G_t to the cotangent of M_t before back-propagating through step t -- the paper's custom write backward.
With the link off the same step-wise backward must equal plain autograd of reference/ntm_reference.py's model
(asserted below), which ties this script's step to that independent NTM.

Two tiny cases (weights in memlab's layout, one copy-task batch); emitted: weights, x, y, mask, cost, and the
gradients of every parameter with the link off ("off.grad.*") and on ("on.grad.*").
  a: LSTM controller, 2 read + 2 write heads, shifts -1..+1, output from [h; r]
  b: feed-forward controller, 1 read + 1 write head, shifts -2..+2, output from the reads only
"""
import contextlib
import io
import math
import os
import runpy

import torch
import torch.nn.functional as F
from copy_fixture import copy_batch, emit as emit_line, ntm_shapes

torch.set_default_dtype(torch.float64)
# the NTM reference prints its own fixture when run; keep its functions, drop its output
with contextlib.redirect_stdout(io.StringIO()):
    REF = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "ntm_reference.py"))
address = REF["address"]


def step(case, W, x_t, state):
    """One NTM step (Graves et al. 2014, eq. 2-9): state (h, c, reads, mem, w) -> new state."""
    lstm, hr, hw, d, k = (case[n] for n in ("lstm", "hr", "hw", "d", "k"))
    h, c, reads, mem, w = state
    inp = torch.cat([x_t, reads] + ([h] if lstm else []), dim=-1)
    z = inp @ W["controller.weight"][0] + W["controller.bias"][0]
    if lstm:
        i, f, gg, o = z.chunk(4, dim=-1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
        h = torch.sigmoid(o) * torch.tanh(c)
    else:
        h = torch.tanh(z)
    raw = h @ W["heads.weight"][0] + W["heads.bias"][0]
    la = d + 2 * k + 4
    new_w = [address(raw[:, j * la:(j + 1) * la], mem, w[:, j], d, k) for j in range(hr + hw)]
    r = torch.cat([new_w[j][:, None, :] @ mem for j in range(hr)], dim=-1)[:, 0]      # reads M_{t-1}
    base = (hr + hw) * la
    keep, add = torch.ones_like(mem), torch.zeros_like(mem)
    for j in range(hw):
        ea = raw[:, base + j * 2 * d: base + (j + 1) * 2 * d]
        e, a = torch.sigmoid(ea[:, :d]), torch.tanh(ea[:, d:])
        keep = keep * (1 - new_w[hr + j][:, :, None] * e[:, None, :])
        add = add + new_w[hr + j][:, :, None] * a[:, None, :]
    return h, c, r, mem * keep + add, torch.stack(new_w, 1)                        # M_t: the write's output


def step_cost(case, W, h, r, y_t, mask_t, b):
    feat = torch.cat([h, r], -1) if case["bypass"] else r
    z = feat @ W["output.weight"][0] + W["output.bias"][0]
    return ((F.softplus(z) - y_t * z) * mask_t).sum() / b / math.log(2)


def stepwise_gradients(case, W, x, y, mask, link):
    """Cost and parameter gradients, the backward run step by step; link: add G_t to grad(M_t)."""
    b, steps, _ = x.shape
    hr, d, s_, hid = case["hr"], case["d"], case["s"], case["hid"]
    w0 = torch.zeros(b, hr + case["hw"], s_)
    w0[:, :, 0] = 1
    start = W["memory.init"][0].expand(b, s_, d)
    state = (torch.zeros(b, hid), torch.zeros(b, hid), torch.zeros(b, hr * d), start, w0)
    tape, cost = [], 0.0
    for t in range(steps):
        leaves = tuple(v.detach().requires_grad_() for v in state)       # cut the graph between steps
        out = step(case, W, x[:, t], leaves)
        loss_t = step_cost(case, W, out[0], out[2], y[:, t], mask[:, t], b)
        tape.append((leaves, out, loss_t))
        cost += loss_t.item()
        state = tuple(v.detach() for v in out)
    params = list(W.values())
    grads = [torch.zeros_like(p) for p in params]
    cot = [torch.zeros_like(v) for v in state]                          # d cost / d (h, c, r, M, w) of the last step
    for leaves, out, loss_t in reversed(tape):
        g_read = cot[2] + torch.autograd.grad(loss_t, out[2], retain_graph=True)[0]      # G_t = dL/dr_t, all of it
        if link:
            cot[3] = cot[3] + g_read.reshape(b, hr, d).sum(1)[:, None, :]                 # every slot of M_t
        got = torch.autograd.grad(list(out) + [loss_t], list(leaves) + params,
                                  grad_outputs=cot + [torch.ones(())], allow_unused=True)
        cot = [g if g is not None else torch.zeros_like(v) for g, v in zip(got[:5], leaves)]
        grads = [a + (g if g is not None else 0) for a, g in zip(grads, got[5:])]
    names = list(W.keys())
    grads[names.index("memory.init")] += torch.autograd.grad(start, W["memory.init"], cot[3])[0]   # the learned M_0
    return cost, dict(zip(W.keys(), grads))


SHAPES = {}


def emit(name, t):
    emit_line(name, t, SHAPES.get(name))


def case_fixture(prefix, case, seed):
    gen = torch.Generator().manual_seed(seed)
    shapes = ntm_shapes(case)
    W = {n: (torch.randn(*sh, generator=gen) * 0.7).requires_grad_() for n, sh in shapes.items()}
    x, y, mask = copy_batch(gen, case["length"], case["bits"])

    # the step-wise backward without the link is plain backprop: check it against the NTM reference's autograd
    cost_ref = REF["run"](case, W, x, y, mask)[4]
    auto = torch.autograd.grad(cost_ref, list(W.values()))
    cost_off, off = stepwise_gradients(case, W, x, y, mask, link=False)
    assert abs(cost_off - cost_ref.item()) < 1e-12
    for (n, g), a in zip(off.items(), auto):
        assert torch.allclose(g, a, rtol=1e-10, atol=1e-12), n
    cost_on, on = stepwise_gradients(case, W, x, y, mask, link=True)
    assert cost_on == cost_off

    for n, t in W.items():
        SHAPES[prefix + n] = list(t.shape)
        emit(prefix + n, t)
    for n, t in (("x", x), ("y", y), ("mask", mask)):
        SHAPES[prefix + n] = list(t.shape)
        emit(prefix + n, t)
    emit(prefix + "cost", cost_off)
    for mode, g in (("off", off), ("on", on)):
        for n, t in g.items():
            SHAPES[prefix + mode + ".grad." + n] = list(t.shape)
            emit(prefix + mode + ".grad." + n, t)


print("# generated by reference/ntm_link_reference.py (PyTorch %s, float64); layout: name dims values" % torch.__version__)
case_fixture("a.", dict(lstm=True, bits=3, hid=5, d=4, s=7, k=1, hr=2, hw=2, bypass=True, length=3), 11)
case_fixture("b.", dict(lstm=False, bits=2, hid=4, d=3, s=6, k=2, hr=1, hw=1, bypass=False, length=2), 12)
