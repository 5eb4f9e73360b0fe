package memlab.bench;

import ai.djl.engine.Engine;
import memlab.ntm.MemoryInit;
import memlab.ntm.Ntm;
import memlab.ntm.NtmConfig;
import memlab.ntm.NtmCopyTraining;
import memlab.ntm.RecipeGrid;
import memlab.tasks.BitCopyTask;
import memlab.train.Optimizer;
import memlab.train.Trainer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark of the NTM (a main, not a unit test).
 *
 * <p>(a) Seconds per training step of one NTM copy run (LSTM controller 100, memory 128 × 20, one
 * read and one write head, shifts ±1; copy sequences of fixed length L, so T = 2L + 1; cost in bits;
 * Adam with clipping at 10), at batch 1 and batch 16, in memlab and in eager PyTorch
 * ({@code reference/ntm_bench.py}, the same operations, run by {@code /usr/bin/python3} as a
 * server so that the two sides alternate): each repeat times a chunk of steps on each side, both
 * models kept warm between repeats; printed: per-side medians and the median and range of the
 * per-repeat ratio memlab / PyTorch (below 1: memlab faster). Both sides use the same number of
 * intra-op threads.
 *
 * <p>(b) The {@code dil-ntm-recipe} grid (3 memory inits × clipping on/off × curriculum on/off ×
 * seeds, batch 1, as notebook 04) trained for a few steps as one batched model vs run by run, the two
 * interleaved over repeats, as a ratio; then what caps it: the ceiling at equal lengths, R × one run's
 * step time over the R-run step time. The batched model computes each run only for its own time steps
 * ({@link memlab.train.RunPacking}); the share of the time steps a padded batch would run that are the
 * runs' own is printed too (padding capped the ratio before packing).
 *
 * <pre>  java -cp memlab.jar memlab.bench.NtmBench [repeats=5] [threads=1] [length=20] [gridSteps=5] [python=/usr/bin/python3] [gridSeeds=5] [parts=ab]</pre>
 * ({@code parts}: {@code a}, {@code b} or both)
 */
public final class NtmBench {
    private NtmBench() {}

    /** The Java side: one NTM copy run (constant memory init, seed 0). */
    static CopyStepTimer ntm(NtmConfig config, int batch, int length) {
        return new CopyStepTimer(config.output(), batch, length, p -> {
            Ntm model = new Ntm(p, config, new MemoryInit[]{MemoryInit.CONSTANT}, new long[]{0});
            return x -> model.forward(x, false).logits();
        });
    }

    /** The Java side of the grid's ceiling: {@code runs} NTM copy runs (constant init, seeds 0..runs−1) as one batched model, batch 1. */
    static CopyStepTimer ntmRuns(int runs, int length) {
        NtmConfig config = NtmConfig.copy(8);
        return new CopyStepTimer(runs, config.output(), 1, length, p -> {
            MemoryInit[] init = new MemoryInit[runs];
            Arrays.fill(init, MemoryInit.CONSTANT);
            Ntm model = new Ntm(p, config, init, java.util.stream.LongStream.range(0, runs).toArray());
            return x -> model.forward(x, false).logits();
        });
    }

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int length = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int gridSteps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int gridSeeds = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        String python = args.length > 4 ? args[4] : "/usr/bin/python3";
        String parts = args.length > 6 ? args[6] : "ab";
        if (!parts.matches("a|b|ab")) throw new IllegalArgumentException("parts must be one of [a, b, ab], got " + parts);
        Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        if (parts.contains("a")) stepVsPyTorch(repeats, threads, length, python);
        if (parts.contains("b")) recipeGrid(repeats, length, gridSteps, gridSeeds);
    }

    /** (a) one copy run's step, memlab vs PyTorch, batch 1 and 16, and the per-operation share. */
    static void stepVsPyTorch(int repeats, int threads, int length, String python) throws Exception {
        int[] batches = {1, 16};
        int[] chunk = {3, 2};
        System.out.printf(Locale.ROOT, "(a) NTM copy step: controller 100, memory 128 x 20, 1+1 heads, L = %d (T = %d), %d intra-op thread(s), %d interleaved repeats%n",
                length, 2 * length + 1, threads, repeats);

        TorchServer py = TorchServer.start(python, "ntm_bench.py", List.of("--threads", "" + threads, "--length", "" + length, "--warmup", "2"));
        if (py != null) System.out.println("    PyTorch: " + py.ready());

        try {
            double[] batch1 = SideBySide.compare(batches, chunk, repeats, b -> side(ntm(NtmConfig.copy(8), b, length)), py);
            // profile: the same graph (same T, same operations) at tiny sizes costs only the per-operation
            // overhead (dispatch, JNI, autograd bookkeeping); the rest of a step is arithmetic
            try (CopyStepTimer tiny = ntm(new NtmConfig(2, 1, memlab.ntm.Controller.LSTM, 2, 4, 2, 1, 1, 1, true), 1, length)) {
                tiny.secondsPerStep(5);          // the JIT is warm from the comparison above; a long warm-up would train the tiny model into a slower regime
                double floor = tiny.secondsPerStep(3 * repeats), one = SideBySide.median(batch1);
                System.out.printf(Locale.ROOT, "    profile: the same operations at tiny sizes take %.3f s/step = %.0f%% of the batch-1 step (per-operation overhead); arithmetic %.0f%%%n",
                        floor, 100 * floor / one, 100 * (1 - floor / one));
            }
        } finally {
            if (py != null) py.close();
        }

    }

    /** (b) the recipe grid batched vs run by run, interleaved over repeats, and its ceiling. */
    static void recipeGrid(int repeats, int length, int gridSteps, int gridSeeds) {
        int gridRepeats = Math.max(3, repeats / 2);
        NtmCopyTraining.Setup gridSetup = new NtmCopyTraining.Setup(NtmConfig.copy(8), new BitCopyTask(1, 8, 20, 100), Optimizer.Rule.ADAM, gridSteps);
        RecipeGrid.Setup recipe = new RecipeGrid.Setup(gridSetup, 1e-4, 10, java.util.stream.LongStream.range(0, gridSeeds).toArray(), 1, 10);
        List<NtmCopyTraining.Run> grid = recipe.runs();
        int n = grid.size();
        Trainer.Listener quiet = (s, k, m) -> {};
        NtmCopyTraining.Setup warm = new NtmCopyTraining.Setup(gridSetup.model(), gridSetup.task(), gridSetup.rule(), 2);
        long w0 = System.nanoTime();
        while ((System.nanoTime() - w0) / 1e9 < SideBySide.WARM_UP_S) {                                   // warm-up, both ways
            NtmCopyTraining.train(warm, grid, quiet);
            for (NtmCopyTraining.Run r : grid.subList(0, 3)) NtmCopyTraining.train(warm, List.of(r), quiet);
        }
        System.out.printf(Locale.ROOT, "(b) dil-ntm-recipe grid: %d runs (12 cells x %d seeds), %d steps each, batch 1, lengths 1-20; %d interleaved repeats%n",
                n, gridSeeds, gridSteps, gridRepeats);
        double[] speedUp = new double[gridRepeats], batchedS = new double[gridRepeats];
        for (int rep = 0; rep < gridRepeats; rep++) {
            long t0 = System.nanoTime();
            NtmCopyTraining.train(gridSetup, grid, quiet);
            batchedS[rep] = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            for (NtmCopyTraining.Run r : grid) NtmCopyTraining.train(gridSetup, List.of(r), quiet);
            speedUp[rep] = (System.nanoTime() - t0) / 1e9 / batchedS[rep];
        }
        System.out.printf(Locale.ROOT, "    batched %.1f s (median); run by run / batched: median %.2fx, range %.2f-%.2fx%n",
                SideBySide.median(batchedS), SideBySide.median(speedUp), SideBySide.min(speedUp), SideBySide.max(speedUp));
        // why it is not n×: even at equal lengths, R runs in one step cost more than one run's step (the
        // ceiling measured below). Padding no longer counts: the batched pass computes only the runs'
        // own steps, which are this share of what a padded batch would run (curriculum runs start at length 1)
        double padded = 0, own = 0;
        for (int step = 0; step < gridSteps; step++) {
            int longest = 0;
            for (NtmCopyTraining.Run r : grid) {
                int t = 2 * gridSetup.task().length(r.seed(), r.curriculum(), step) + 1;
                own += t;
                longest = Math.max(longest, t);
            }
            padded += (double) n * longest;
        }
        System.out.printf(Locale.ROOT, "    packing: the runs' own time steps, the only ones the batched model computes, are %.0f%% of a padded batch's (every run at the step's longest sequence)%n", 100 * own / padded);
        try (CopyStepTimer one = ntmRuns(1, length); CopyStepTimer all = ntmRuns(n, length)) {
            one.secondsPerStep(2);
            all.secondsPerStep(1);
            double[] ceiling = new double[gridRepeats];
            for (int rep = 0; rep < gridRepeats; rep++) {
                double t1 = one.secondsPerStep(3), tn = all.secondsPerStep(1);
                ceiling[rep] = n * t1 / tn;
            }
            System.out.printf(Locale.ROOT, "    ceiling at equal lengths (L = %d for every run, no padding): %d x one run's step / the %d-run step: median %.2fx, range %.2f-%.2fx%n",
                    length, n, n, SideBySide.median(ceiling), SideBySide.min(ceiling), SideBySide.max(ceiling));
        }
    }

    /** A {@link CopyStepTimer} as a {@link SideBySide.Side}. */
    static SideBySide.Side side(CopyStepTimer t) {
        return new SideBySide.Side() {
            public void steps(int n) { t.secondsPerStep(n); }

            public void close() { t.close(); }
        };
    }

}
