"""Pieces shared by the copy-task golden fixtures (ntm_reference.py, ntm_link_reference.py, dnc_reference.py):
the fixture's line format, the NTM's parameter shapes and one copy-task batch."""
import torch


def emit(name, t, shape=None):
    """One fixture line: name, dims (default: the flat length), values (float64 repr)."""
    t = t.detach().reshape(-1) if isinstance(t, torch.Tensor) else torch.tensor([float(t)])
    print(name, ",".join(str(s) for s in (shape or [t.numel()])), " ".join(repr(float(v)) for v in t))


def ntm_shapes(case):
    """The NTM's parameters in memlab's layout: weight (1, in, out), bias (1, 1, out), learned memory (1, S, D)."""
    bits, hid, d, s_, k, hr, hw = case["bits"], case["hid"], case["d"], case["s"], case["k"], case["hr"], case["hw"]
    ctl_in = bits + 1 + hr * d + (hid if case["lstm"] else 0)
    gates = 4 * hid if case["lstm"] else hid
    heads = (hr + hw) * (d + 2 * k + 4) + hw * 2 * d
    return {
        "controller.weight": (1, ctl_in, gates), "controller.bias": (1, 1, gates),
        "heads.weight": (1, hid, heads), "heads.bias": (1, 1, heads),
        "output.weight": (1, (hid if case["bypass"] else 0) + hr * d, bits), "output.bias": (1, 1, bits),
        "memory.init": (1, s_, d),
    }


def copy_batch(gen, length, bits, b=2):
    """A copy-task batch: `length` random bit vectors, a delimiter channel, then the sequence as the target;
    inputs x (b, 2L+1, bits+1), targets y (b, 2L+1, bits), mask (1, 2L+1, 1) on the output half."""
    steps = 2 * length + 1
    x = torch.zeros(b, steps, bits + 1)
    y = torch.zeros(b, steps, bits)
    seq = torch.randint(0, 2, (b, length, bits), generator=gen).double()
    x[:, :length, :bits] = seq
    x[:, length, bits] = 1
    y[:, length + 1:, :] = seq
    mask = torch.zeros(1, steps, 1)
    mask[:, length + 1:] = 1
    return x, y, mask
