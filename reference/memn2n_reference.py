"""Golden fixture for memlab.memn2n.MemN2N: the end-to-end memory network written independently in PyTorch
(float64), one story at a time, with the paper's equations (Sukhbaatar et al. 2015, "End-To-End Memory Networks").

Run with Debian's python3-torch:
    /usr/bin/python3 reference/memn2n_reference.py > lib/src/test/resources/fixtures/memn2n_tiny.json

Two cases on the same two tiny stories: (a) position + temporal encoding, 2 hops; (b) bag of words, no
temporal encoding, 3 hops. Each carries its weights, the encoded batch (slot 0 = most recent sentence,
sentence lengths, 0 = padding and empty slot), the answer logits, every hop's attention, the loss (mean
cross-entropy over the batch) and the gradient of the loss with respect to every weight.
"""
import json

import torch

torch.set_default_dtype(torch.float64)

V, D, S, J, B = 9, 4, 3, 5, 2
# story ids per slot (most recent first) and their lengths; story 1 has an empty third slot
STORY = [[[1, 2, 3, 4, 0], [5, 2, 6, 0, 0], [7, 8, 0, 0, 0]],
         [[3, 1, 2, 5, 6], [8, 7, 4, 0, 0], [0, 0, 0, 0, 0]]]
LENGTH = [[4, 3, 2], [5, 3, 0]]
QUESTION = [[6, 1, 2, 0, 0], [4, 4, 3, 2, 0]]
QLENGTH = [3, 4]
ANSWER = [5, 8]


def l(j, k, length, d, pe):
    """l_kj = (1 - j/J) - (k/d)(1 - 2j/J), j and k counted from 1; 1 for a bag of words."""
    if not pe:
        return 1.0
    return (1 - j / length) - (k / d) * (1 - 2 * j / length)


def sentence(table, ids, length, pe):
    out = torch.zeros(D)
    for j in range(length):
        lj = torch.tensor([l(j + 1, k + 1, length, D, pe) for k in range(D)])
        out = out + lj * table[ids[j]]
    return out


def run(W, hops, pe, te):
    logits, attention = [], []
    for b in range(B):
        u = sentence(W["embed.0"], QUESTION[b], QLENGTH[b], pe)          # B = A^1
        hop_attention = []
        for k in range(1, hops + 1):
            A, C = W["embed.%d" % (k - 1)], W["embed.%d" % k]            # adjacent: A^{k+1} = C^k
            scores, values = [], []
            for i in range(S):
                if LENGTH[b][i] == 0:
                    continue
                m_i = sentence(A, STORY[b][i], LENGTH[b][i], pe)
                c_i = sentence(C, STORY[b][i], LENGTH[b][i], pe)
                if te:
                    m_i = m_i + W["temporal.%d" % (k - 1)][i]
                    c_i = c_i + W["temporal.%d" % k][i]
                scores.append(u @ m_i)
                values.append(c_i)
            p = torch.softmax(torch.stack(scores), 0)
            o = sum(p[i] * values[i] for i in range(len(values)))
            u = u + o
            full = torch.zeros(S)
            full[:len(values)] = p                     # empty slots are the last ones here
            hop_attention.append(full)
        logits.append(W["embed.%d" % hops] @ u)        # W = (C^K)^T
        attention.append(torch.stack(hop_attention))
    logits = torch.stack(logits)
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(ANSWER))
    return logits, torch.stack(attention), loss


def case(seed, hops, pe, te):
    gen = torch.Generator().manual_seed(seed)
    W = {}
    for k in range(hops + 1):
        W["embed.%d" % k] = (torch.randn(V, D, generator=gen) * 0.5).requires_grad_()
    if te:
        for k in range(hops + 1):
            W["temporal.%d" % k] = (torch.randn(S, D, generator=gen) * 0.5).requires_grad_()
    logits, attention, loss = run(W, hops, pe, te)
    loss.backward()
    flat = lambda t: [float(v) for v in t.detach().reshape(-1)]
    return {"hops": hops, "position_encoding": pe, "temporal_encoding": te,
            "weights": {n: flat(t) for n, t in W.items()},
            "logits": flat(logits), "attention": flat(attention), "loss": float(loss),
            "grad": {n: flat(t.grad) for n, t in W.items()}}


print(json.dumps({"generator": "reference/memn2n_reference.py (PyTorch %s, float64)" % torch.__version__,
                  "V": V, "D": D, "S": S, "J": J, "B": B, "story": STORY, "length": LENGTH,
                  "question": QUESTION, "question_length": QLENGTH, "answer": ANSWER,
                  "a": case(1, 2, True, True), "b": case(2, 3, False, False)}, indent=None))
