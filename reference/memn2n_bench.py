#!/usr/bin/python3
"""Eager-PyTorch timing of one training step of the end-to-end memory network, the maths of
memlab.memn2n.MemN2N trained as memlab.memn2n.StoryTraining does.

K hops with adjacent weight tying (K + 1 embeddings V x d, N(0, 0.1^2); B = A^1, W = (C^K)'), position
encoding l_kj = (1 - j/J) - (k/d)(1 - 2j/J) over the words of each sentence, temporal tables (S x d) tied
likewise, empty memory slots masked out of the softmax; answer cross-entropy; Adam 1e-2, no clipping.
One fixed batch of random stories (word ids, 1..J words per sentence), as the Java side encodes one batch; each step
turns the batch's lengths into position weights (rows of a table of all lengths 0..J, tiled over the K + 1 embeddings for
the story) and the empty-slot mask, as memlab's pass does for the batch it is given.

Serves timing requests through bench_server.py, so that memlab.bench.PrimerBench can interleave the two sides.

  /usr/bin/python3 reference/memn2n_bench.py [--threads 1] [--vocab 40] [--embedding 20] [--memory 10] [--words 7] [--hops 3] [--warmup 2]
"""
import bench_server
import torch
import torch.nn.functional as F


def position_encoding(lengths, words, d):
    """l_kj over the J word slots of sentences of the given lengths (..., J, d), 0 on padding (as memlab.memn2n.PositionEncoding)."""
    j = torch.arange(1, words + 1).float().unsqueeze(1)
    k = torch.arange(1, d + 1).float().unsqueeze(0)
    n = lengths.float().unsqueeze(-1).unsqueeze(-1)
    l = (1 - j / n) - (k / d) * (1 - 2 * j / n)
    return torch.where(j <= n, l, torch.zeros(()))                   # 0 on padding, and for an empty slot (n = 0)


class MemN2N:
    def __init__(self, vocab, d, memory, hops):
        self.hops = hops
        self.embed = [(0.1 * torch.randn(vocab, d)).requires_grad_() for _ in range(hops + 1)]
        self.temporal = [(0.1 * torch.randn(memory, d)).requires_grad_() for _ in range(hops + 1)]

    def params(self):
        return self.embed + self.temporal

    def encode(self, ids, pe, k):
        """Sum over words of l_j * E ids (padding has l = 0)."""
        return (F.embedding(ids, self.embed[k]) * pe).sum(-2)

    def memories(self, story, story_pe):
        """Every embedding's memory (B, S, d) from one lookup in the K + 1 tables side by side (as memlab.memn2n.MemN2N);
        story_pe (B, S, J, K + 1, d) is the position weights tiled over the K + 1 embeddings, as memlab picks them."""
        b, s, j = story.shape
        k1, d = len(self.embed), self.embed[0].shape[1]
        m = (F.embedding(story, torch.cat(self.embed, 1)).reshape(b, s, j, k1, d) * story_pe).sum(2) \
            + torch.cat(self.temporal, 1).reshape(s, k1, d)
        return m.unbind(2)

    def forward(self, story, story_pe, question, question_pe, empty):
        u = self.encode(question, question_pe, 0)                    # (B, d)
        mem = self.memories(story, story_pe)
        for k in range(self.hops):
            m, c = mem[k], mem[k + 1]
            scores = (m @ u.unsqueeze(2)).squeeze(2).masked_fill(empty, float("-inf"))
            p = torch.softmax(scores, 1)
            u = u + (p.unsqueeze(1) @ c).squeeze(1)
        return u @ self.embed[self.hops].t()


class Trainer:
    def __init__(self, batch, vocab, d, memory, words, hops):
        g = torch.Generator().manual_seed(batch)
        lengths = torch.randint(1, words + 1, (batch, memory), generator=g)
        self.lengths = lengths
        self.story = torch.randint(1, vocab, (batch, memory, words), generator=g) * (torch.arange(words) < lengths.unsqueeze(2)).long()
        qlen = torch.randint(1, words + 1, (batch,), generator=g)
        self.qlen = qlen
        self.question = torch.randint(1, vocab, (batch, words), generator=g) * (torch.arange(words) < qlen.unsqueeze(1)).long()
        # the position weights of every length 0..J, for the question (J + 1, J d) and, tiled over the K + 1 embeddings
        # (an elementwise product, as memlab's; one that broadcasts them is 2-4x slower here too), for the story
        table = position_encoding(torch.arange(words + 1), words, d)
        self.question_table = table.reshape(words + 1, words * d)
        self.story_table = table.unsqueeze(2).expand(-1, -1, hops + 1, -1).reshape(words + 1, words * (hops + 1) * d)
        self.sizes = batch, memory, words, hops + 1, d
        self.answer = torch.randint(1, vocab, (batch,), generator=g)
        self.model = MemN2N(vocab, d, memory, hops)
        self.opt = torch.optim.Adam(self.model.params(), lr=1e-2)

    def inputs(self):
        """The batch's position weights, (B, S, J, K + 1, d) and (B, J, d), and empty slots, (B, S), from its lengths."""
        b, s, j, k1, d = self.sizes
        story_pe = F.embedding(self.lengths, self.story_table).reshape(b, s, j, k1, d)
        question_pe = F.embedding(self.qlen, self.question_table).reshape(b, j, d)
        return story_pe, question_pe, self.lengths == 0

    def step(self):
        story_pe, question_pe, empty = self.inputs()
        logits = self.model.forward(self.story, story_pe, self.question, question_pe, empty)
        loss = F.cross_entropy(logits, self.answer)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        # the answer accuracy of the batch, as memlab's training step reports it beside the loss
        self.accuracy = float((logits.detach().argmax(-1) == self.answer).float().mean())
        return float(loss)


def main():
    args = bench_server.arguments(__doc__, vocab=40, embedding=20, memory=10, words=7, hops=3)
    bench_server.serve(lambda batch: Trainer(batch, args.vocab, args.embedding, args.memory, args.words, args.hops),
                       args.threads, args.warmup)


if __name__ == "__main__":
    main()
