package memlab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import memlab.attention.Attention;
import memlab.attention.ReversalTraining;
import memlab.attention.Seq2Seq;
import memlab.dnc.Dnc;
import memlab.dnc.DncConfig;
import memlab.memn2n.MemN2N;
import memlab.memn2n.StoryExperiment;
import memlab.memn2n.StoryTraining;
import memlab.ntm.Controller;
import memlab.tasks.BabiStories;
import memlab.tasks.BabiTask;
import memlab.tasks.SequenceReversal;
import memlab.tasks.StoryBatch;
import memlab.tasks.Vocabulary;
import memlab.train.Optimizer;
import memlab.train.ParamSet;

import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Benchmark of the attention-and-memory primer's models (a main, not a unit test): one training step
 * in memlab vs the same maths in eager PyTorch, as ratios.
 *
 * <p>Section {@code dnc}: seconds per training step of one DNC copy run (LSTM controller 64, memory
 * 32 × 16, one read and one write head; copy sequences of fixed length L, T = 2L + 1; cost in bits;
 * Adam 1e-4 with clipping at 10), at batch 1 and 16, in memlab and in eager PyTorch
 * ({@code reference/dnc_bench.py}, the same operations, run by {@code /usr/bin/python3} as a server so
 * the two sides alternate). Each repeat times a chunk of steps on each side, both models kept warm;
 * printed: per-side medians and the median and range of the per-repeat ratio memlab / PyTorch (below 1:
 * memlab faster). Both sides use the same number of intra-op threads. A last line times the same
 * operations at tiny sizes: the share of a step that is per-operation overhead rather than arithmetic.
 *
 * <p>Section {@code attention}: the encoder–decoder with soft (additive) attention on sequence reversal
 * (10 symbols, length {@code length}, LSTM and alignment of 64 units, Adam 3e-3), at batch 1 and 32, against
 * {@code reference/attention_bench.py}. Section {@code memn2n}: the end-to-end memory network of 3 hops (embedding 20,
 * memory 10, position and temporal encoding, Adam 1e-2) on one fixed batch of two-supporting-facts stories, at batch
 * 1 and 32, against {@code reference/memn2n_bench.py}. The NTM's comparison is {@code bin/memlab bench ntm}.
 * Every section alternates the two sides chunk by chunk through {@link TorchServer}. Section {@code aa} (not part of
 * {@code all}) runs the three reference scripts each against a second copy of itself in the same protocol: the spread of
 * those ratios around 1 is the resolution of the memlab/PyTorch ones.
 *
 * <pre>  java -cp memlab.jar memlab.bench.PrimerBench [section=all|dnc|attention|memn2n|aa] [repeats=5] [threads=1] [length=10] [python=/usr/bin/python3]</pre>
 */
public final class PrimerBench {
    private PrimerBench() {}

    /** The benchmark's DNC: copy of 8-bit vectors, LSTM 64, memory 32 × 16, one read head. */
    static final DncConfig DNC = new DncConfig(9, 8, Controller.LSTM, 64, 32, 16, 1);

    /** Sections {@link #main} knows. */
    static final List<String> SECTIONS = List.of("all", "dnc", "attention", "memn2n", "aa");

    /** The Java side: one DNC copy run (seed 0). */
    static CopyStepTimer dnc(DncConfig config, int batch, int length) {
        return new CopyStepTimer(config.output(), batch, length, p -> {
            Dnc model = new Dnc(p, config, new long[]{0});
            return x -> model.forward(x).logits();
        });
    }

    public static void main(String[] args) throws Exception {
        String section = args.length > 0 ? args[0] : "all";
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int length = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        String python = args.length > 4 ? args[4] : "/usr/bin/python3";
        if (!SECTIONS.contains(section)) throw new IllegalArgumentException("section must be one of " + SECTIONS + ", got '" + section + "'");
        memlab.core.Check.positive("repeats", repeats);
        memlab.core.Check.positive("threads", threads);
        memlab.core.Check.positive("length", length);
        Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        boolean all = section.equals("all");
        boolean aa = section.equals("aa");
        if (aa) System.out.println("A/A: each reference script against a second copy of itself, timed as memlab is: how far a ratio strays from 1 when nothing differs");
        if (all || aa || section.equals("dnc")) dnc(repeats, threads, length, python, aa);
        if (all || aa || section.equals("attention")) attention(repeats, threads, length, python, aa);
        if (all || aa || section.equals("memn2n")) memn2n(repeats, threads, python, aa);
    }

    static void dnc(int repeats, int threads, int length, String python, boolean aa) throws Exception {
        System.out.printf(Locale.ROOT, "DNC copy step: LSTM 64, memory 32 x 16, 1 read head, L = %d (T = %d), %d intra-op thread(s), %d interleaved repeats%n",
                length, 2 * length + 1, threads, repeats);
        double[] batch1 = compare(new int[]{1, 16}, new int[]{3, 2}, repeats, b -> NtmBench.side(dnc(DNC, b, length)),
                python, "dnc_bench.py", List.of("--threads", "" + threads, "--length", "" + length, "--warmup", "2"), aa);
        if (aa) return;
        // profile: the same graph (same T, same operations) at tiny sizes costs only the per-operation
        // overhead (dispatch, JNI, autograd bookkeeping); the rest of a step is arithmetic
        try (CopyStepTimer tiny = dnc(new DncConfig(2, 1, Controller.LSTM, 2, 3, 2, 1), 1, length)) {
            tiny.secondsPerStep(5);          // the JIT is warm from the comparison above
            double floor = tiny.secondsPerStep(3 * repeats), one = SideBySide.median(batch1);
            System.out.printf(Locale.ROOT, "    profile: the same operations at tiny sizes take %.3f s/step = %.0f%% of the batch-1 step (per-operation overhead); arithmetic %.0f%%%n",
                    floor, 100 * floor / one, 100 * (1 - floor / one));
        }
    }

    /** The benchmark's encoder–decoder: 10 symbols, LSTM, embedding and alignment 64, soft attention. */
    static final Seq2Seq.Config SEQ2SEQ = new Seq2Seq.Config(10, 64, 64, 64, Attention.SOFT);

    static void attention(int repeats, int threads, int length, String python, boolean aa) throws Exception {
        System.out.printf(Locale.ROOT, "Encoder-decoder step, soft attention: reversal of L = %d over %d symbols, LSTM %d, %d intra-op thread(s), %d interleaved repeats%n",
                length, SEQ2SEQ.symbols(), SEQ2SEQ.hidden(), threads, repeats);
        compare(new int[]{1, 32}, new int[]{20, 4}, repeats, b -> seq2seq(SEQ2SEQ, b, length), python, "attention_bench.py",
                List.of("--threads", "" + threads, "--symbols", "" + SEQ2SEQ.symbols(), "--length", "" + length, "--hidden", "" + SEQ2SEQ.hidden(), "--warmup", "2"), aa);
    }

    /** The Java side of {@link #attention}: one run (seed 0), a fresh batch per step as in training. */
    static SideBySide.Side seq2seq(Seq2Seq.Config config, int batch, int length) {
        NDManager base = NDManager.newBaseManager(memlab.core.Devices.choose());
        ParamSet params = new ParamSet(base, 1);
        Optimizer opt = Optimizer.adam(3e-3);
        Seq2Seq model = new Seq2Seq(params, config, new long[]{0});
        SequenceReversal task = new SequenceReversal(config.symbols(), length);
        int[] index = {0};
        return timer(steps -> {
            for (int s = 0; s < steps; s++) ReversalTraining.step(model, opt, task, batch, new long[]{0}, index[0]++, null);
        }, opt, params, base);
    }

    /** The benchmark's memory network: 3 hops, embedding 20, memory of 10 sentences, position and temporal encoding. */
    static final int HOPS = 3, EMBEDDING = 20, MEMORY = 10;

    static void memn2n(int repeats, int threads, String python, boolean aa) throws Exception {
        int vocab = Vocabulary.babi().size();
        System.out.printf(Locale.ROOT, "Memory network step: %d hops, embedding %d, memory %d x %d words, vocabulary %d, %d intra-op thread(s), %d interleaved repeats%n",
                HOPS, EMBEDDING, MEMORY, StoryExperiment.WORDS, vocab, threads, repeats);
        compare(new int[]{1, 32}, new int[]{100, 30}, repeats, PrimerBench::memn2n, python, "memn2n_bench.py",
                List.of("--threads", "" + threads, "--vocab", "" + vocab, "--embedding", "" + EMBEDDING, "--memory", "" + MEMORY,
                        "--words", "" + StoryExperiment.WORDS, "--hops", "" + HOPS, "--warmup", "2"), aa);
    }

    /** The Java side of {@link #memn2n}: one run (seed 0) on one encoded batch of two-supporting-facts stories. */
    static SideBySide.Side memn2n(int batch) {
        NDManager base = NDManager.newBaseManager(memlab.core.Devices.choose());
        ParamSet params = new ParamSet(base, 1);
        Optimizer opt = Optimizer.adam(1e-2);
        Vocabulary vocabulary = Vocabulary.babi();
        MemN2N model = new MemN2N(params, new MemN2N.Config(vocabulary.size(), EMBEDDING, MEMORY, StoryExperiment.WORDS, HOPS, true, true), new long[]{0});
        StoryBatch data = StoryTraining.batch(model, new BabiStories(BabiTask.TWO_SUPPORTING_FACTS, MEMORY), vocabulary, batch, new long[]{0}, 0);
        return timer(steps -> {
            for (int s = 0; s < steps; s++) StoryTraining.step(model, opt, data);
        }, opt, params, base);
    }

    /**
     * Times the Java side ({@code java.apply(batch)}) and the PyTorch server alternately: per repeat, a chunk of
     * {@code chunk[i]} steps at {@code batches[i]} on each side. Prints per batch the medians and the median and
     * range of the per-repeat ratio memlab / PyTorch; returns the Java seconds per step of the first batch.
     * With {@code aa}, a second server of the same script takes the Java side's place (an A/A run).
     */
    static double[] compare(int[] batches, int[] chunk, int repeats, IntFunction<SideBySide.Side> java, String python, String script, List<String> args,
                            boolean aa) throws Exception {
        TorchServer torch = TorchServer.start(python, script, args), first = aa && torch != null ? TorchServer.start(python, script, args) : null;
        if (torch != null) System.out.println("    PyTorch: " + torch.ready());
        try {
            if (aa) return torch == null ? new double[0] : SideBySide.compare(batches, chunk, repeats, b -> SideBySide.torchSide(first, b), torch, "PyTorch A", "PyTorch B");
            return SideBySide.compare(batches, chunk, repeats, java, torch);
        } finally {
            if (torch != null) torch.close();
            if (first != null) first.close();
        }
    }

    /** A loop of training steps ({@code loop.accept(n)} trains n) as a {@link SideBySide.Side}, closing {@code resources} in order at the end. */
    static SideBySide.Side timer(java.util.function.IntConsumer loop, AutoCloseable... resources) {
        return new SideBySide.Side() {
            public void steps(int n) { loop.accept(n); }

            public void close() {
                for (AutoCloseable r : resources)
                    try {
                        r.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("closing " + r + " failed", e);
                    }
            }
        };
    }
}
