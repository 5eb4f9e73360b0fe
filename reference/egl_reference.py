#!/usr/bin/python3
"""PyTorch reference for the Explicit Gradient Linking (EGL) memory interface.

Builds a tiny AttentionMemoryInterface, computes the forward pass and all
parameter gradients with the gradient link off and on, checks the custom
write Function two independent ways, and writes a plain-text fixture for the
Java tests (lib/src/test/resources/fixtures/egl_tiny.txt).

Run with Debian's Python (it has torch):  /usr/bin/python3 reference/egl_reference.py
"""
import argparse
import copy
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

PARAM_NETS = ("write_net", "write_query_net", "read_query_net", "read_out_net")


class LinkedWrite(torch.autograd.Function):
    """Memory write M_out = M_in * (1 - w 1^T) + w v^T with a gradient link.

    Shapes: memory_in (B,S,D), v (B,D), w (B,S).  In backward, the gradient
    stored under ``id_token`` in ``grad_store`` (dL/do_t of the read with the
    same id, shape (B,D)) is popped, broadcast over the S slots and added to
    grad_output before the write's own gradients are formed.
    """

    @staticmethod
    def forward(ctx, memory_in, v, w, id_token, grad_store):
        ctx.save_for_backward(memory_in, v, w)
        ctx.id_token = id_token
        ctx.grad_store = grad_store
        w3 = w.unsqueeze(2)
        return memory_in * (1.0 - w3) + w3 * v.unsqueeze(1)

    @staticmethod
    def backward(ctx, grad_output):
        memory_in, v, w = ctx.saved_tensors
        g = grad_output
        if ctx.grad_store is not None:
            grad_read = ctx.grad_store.pop(ctx.id_token, None)
            if grad_read is not None:
                g = g + grad_read.unsqueeze(1)  # (B,1,D) broadcast over slots
        w3 = w.unsqueeze(2)
        grad_memory = g * (1.0 - w3)                              # (B,S,D)
        grad_v = torch.einsum("bsd,bs->bd", g, w)                 # (B,D)
        grad_w = (g * (v.unsqueeze(1) - memory_in)).sum(dim=2)    # (B,S)
        return grad_memory, grad_v, grad_w, None, None


class AttentionMemoryInterface(nn.Module):
    def __init__(self, input_dim, mem_dim):
        super().__init__()
        self.write_net = nn.Linear(input_dim, mem_dim)
        self.write_query_net = nn.Linear(input_dim, mem_dim)
        self.read_query_net = nn.Linear(input_dim, mem_dim)
        self.read_out_net = nn.Linear(mem_dim, input_dim)

    @staticmethod
    def attend(memory, query):
        # logits[b,s] = sum_d M[b,s,d] q[b,d]  (no scaling), softmax over slots
        return torch.softmax(torch.einsum("bsd,bd->bs", memory, query), dim=1)

    def forward(self, x, memory, link=False, mode="function", record=None):
        """x (B,T,in), memory (B,S,D).

        mode: "function" uses LinkedWrite (with the link iff ``link``);
              "plain" uses ordinary autograd ops (no link possible).
        record: optional dict; receives lists 'M' (write outputs), 'o' (read
                outputs), 'w', 'r' (attention weights) and 'G' (filled by hooks).
        """
        B, T, _ = x.shape
        grad_store = {} if link else None
        if record is None:
            record = {}
        record.update(M=[], o=[], w=[], r=[], G={})
        for t in range(T):
            xt = x[:, t]
            v = self.write_net(xt)
            w = self.attend(memory, self.write_query_net(xt))
            if mode == "function":
                memory = LinkedWrite.apply(memory, v, w, t, grad_store)
            else:
                w3 = w.unsqueeze(2)
                memory = memory * (1.0 - w3) + w3 * v.unsqueeze(1)
            record["M"].append(memory)
            record["w"].append(w)
        ys = []
        for t in range(T):
            r = self.attend(memory, self.read_query_net(x[:, t]))
            o = torch.einsum("bs,bsd->bd", r, memory)
            if o.requires_grad:
                o.register_hook(self._hook(t, grad_store, record["G"]))
            record["o"].append(o)
            record["r"].append(r)
            ys.append(self.read_out_net(o))
        return torch.stack(ys, dim=1)

    @staticmethod
    def _hook(t, grad_store, seen):
        def hook(grad):
            seen[t] = grad.detach().clone()
            if grad_store is not None:
                grad_store[t] = grad.detach()
        return hook


def link_norm(G):
    """Total norm of all read gradients: sqrt(sum_t ||G_t||^2)."""
    return math.sqrt(sum(float((g.double() ** 2).sum()) for g in G))


def param_grads(model):
    return {f"{n}.{p}": getattr(getattr(model, n), p).grad.detach().clone()
            for n in PARAM_NETS for p in ("weight", "bias")}


def run(model, x, m0, link, mode="function"):
    model.zero_grad()
    rec = {}
    y = model(x, m0, link=link, mode=mode, record=rec)
    loss = F.mse_loss(y, x)
    loss.backward()
    T = x.shape[1]
    G = torch.stack([rec["G"][t] for t in range(T)])  # (T,B,D)
    return dict(loss=loss.detach(), y=y.detach(), grads=param_grads(model), G=G,
                write_attn=torch.stack(rec["w"], 1).detach(),
                read_attn=torch.stack(rec["r"], 1).detach())


def second_formulation(model, x, m0):
    """Linked gradients without the custom Function.

    loss2 = loss + sum_t <stopgrad(G_t) broadcast over slots, M_t>, where M_t is
    the output of write t and G_t = dL/do_t comes from a first backward.
    """
    model.zero_grad()
    rec = {}
    y = model(x, m0, link=False, mode="plain", record=rec)
    loss = F.mse_loss(y, x)
    G = torch.autograd.grad(loss, rec["o"], retain_graph=True)
    extra = sum((g.detach().unsqueeze(1) * M).sum() for g, M in zip(G, rec["M"]))
    (loss + extra).backward()
    return param_grads(model), torch.stack(G)


def max_abs_diff(a, b):
    return max(float((a[k] - b[k]).abs().max()) for k in a)


def gradcheck_write(seed):
    g = torch.Generator().manual_seed(seed)
    B, S, D = 2, 4, 3
    mem = torch.randn(B, S, D, generator=g, dtype=torch.float64, requires_grad=True)
    v = torch.randn(B, D, generator=g, dtype=torch.float64, requires_grad=True)
    # arbitrary (non-softmax) weights exercise the general formula
    w = torch.rand(B, S, generator=g, dtype=torch.float64, requires_grad=True)
    f = lambda m_, v_, w_: LinkedWrite.apply(m_, v_, w_, 0, None)
    ok1 = torch.autograd.gradcheck(f, (mem, v, w), eps=1e-6, atol=1e-8, rtol=1e-6)
    # also with a link store that holds no entry for this id (must be a no-op)
    f2 = lambda m_, v_, w_: LinkedWrite.apply(m_, v_, w_, 7, {})
    ok2 = torch.autograd.gradcheck(f2, (mem, v, w), eps=1e-6, atol=1e-8, rtol=1e-6)
    return ok1 and ok2


def fmt(name, t):
    t = torch.as_tensor(t).detach().to(torch.float32).contiguous()
    dims = ",".join(str(d) for d in t.shape) if t.dim() > 0 else "-"
    vals = " ".join("%.9g" % v for v in t.reshape(-1).tolist())
    return f"{name} {dims} {vals}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1234)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(
        here, "..", "lib", "src", "test", "resources", "fixtures", "egl_tiny.txt"))
    args = ap.parse_args()

    B, T, IN, D, S = 2, 3, 4, 5, 6
    torch.manual_seed(args.seed)
    model = AttentionMemoryInterface(IN, D)  # float32, default nn.Linear init
    x = torch.randn(B, T, IN)
    m0 = torch.randn(B, S, D)

    res = {"off": run(model, x, m0, link=False, mode="plain"),
           "on": run(model, x, m0, link=True, mode="function")}

    # check A: custom Function with the link disabled == plain autograd
    fn_off = run(model, x, m0, link=False, mode="function")
    d_fn_off = max_abs_diff(fn_off["grads"], res["off"]["grads"])
    # check B: link-on gradients == second formulation (surrogate loss)
    g2, G2 = second_formulation(model, x, m0)
    d_second = max_abs_diff(res["on"]["grads"], g2)
    d_G = float((G2 - res["on"]["G"]).abs().max())
    # same comparison in float64 (rounding-free agreement)
    m64 = copy.deepcopy(model).double()
    on64 = run(m64, x.double(), m0.double(), link=True, mode="function")
    g2_64, _ = second_formulation(m64, x.double(), m0.double())
    d_second64 = max_abs_diff(on64["grads"], g2_64)
    # check C: forward and G unaffected by the link
    d_fwd = float((res["on"]["y"] - res["off"]["y"]).abs().max())
    d_Goffon = float((res["on"]["G"] - res["off"]["G"]).abs().max())
    # the link must actually change something
    d_link = max_abs_diff(res["on"]["grads"], res["off"]["grads"])
    # check D: float64 gradcheck of the write Function
    gc = gradcheck_write(args.seed)

    print(f"torch {torch.__version__}, seed {args.seed}")
    print(f"gradcheck(LinkedWrite, float64): {gc}")
    print(f"max|grad_on(Function) - grad_on(second formulation)| = {d_second:.3e}")
    print(f"  same in float64                                   = {d_second64:.3e}")
    print(f"max|G(Function run) - G(second formulation)|        = {d_G:.3e}")
    print(f"max|grad_off(Function, no link) - grad_off(plain)|  = {d_fn_off:.3e}")
    print(f"max|y_on - y_off| = {d_fwd:.3e}, max|G_on - G_off| = {d_Goffon:.3e}")
    print(f"max|grad_on - grad_off| (link effect)               = {d_link:.3e}")
    for m in ("off", "on"):
        print(f"{m}: loss {float(res[m]['loss']):.9g}, link_norm {link_norm(res[m]['G']):.9g}")
    assert gc
    assert d_second < 1e-5, d_second
    assert d_second64 < 1e-12, d_second64
    assert d_G < 1e-6 and d_fn_off < 1e-6 and d_fwd == 0.0 and d_Goffon < 1e-6
    assert d_link > 1e-4

    lines = [
        "# EGL tiny fixture. One tensor per line: `name dims v1 v2 ...`; dims comma-separated "
        "(`-` for a scalar); values row-major, float32 printed with %.9g.",
        f"# Generated by reference/egl_reference.py (torch {torch.__version__}, "
        f"torch.manual_seed({args.seed}), float32). B={B} T={T} in={IN} mem={D} S={S}.",
        "# Init order after seeding: write_net, write_query_net, read_query_net, read_out_net "
        "(nn.Linear default init), then x=randn(B,T,in), m0=randn(B,S,D).",
        "# Weights in PyTorch layout: weight (out,in), bias (out). Loss = MSE(y, x), mean over all "
        "elements. G = dL/do_t stacked (T,B,D);",
        "# link_norm = sqrt(sum_t ||G_t||^2) (same read gradients in both modes; only routed into "
        "the writes when on). write/read_attn (B,T,S).",
    ]
    lines.append(fmt("x", x))
    lines.append(fmt("m0", m0))
    for n in PARAM_NETS:
        for p in ("weight", "bias"):
            lines.append(fmt(f"{n}.{p}", getattr(getattr(model, n), p)))
    for m in ("off", "on"):
        r = res[m]
        lines.append(fmt(f"{m}.loss", r["loss"]))
        lines.append(fmt(f"{m}.y", r["y"]))
        for k, g in r["grads"].items():
            lines.append(fmt(f"{m}.grad.{k}", g))
        lines.append(fmt(f"{m}.G", r["G"]))
        lines.append(fmt(f"{m}.link_norm", torch.tensor(link_norm(r["G"]))))
        if m == "off":
            lines.append(fmt("off.write_attn", r["write_attn"]))
            lines.append(fmt("off.read_attn", r["read_attn"]))
    out = os.path.normpath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    sys.exit(main())
