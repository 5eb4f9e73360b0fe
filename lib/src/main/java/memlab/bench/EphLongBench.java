package memlab.bench;

import ai.djl.ndarray.NDManager;
import memlab.ephemeral.EphemeralExperiment.LongBudget;
import memlab.ephemeral.EphemeralExperiment.Scale;
import memlab.ephemeral.EphemeralExperiment.SweepGrid;
import memlab.ephemeral.EphemeralNet;
import memlab.ephemeral.EphemeralTraining;
import memlab.ephemeral.LongTraining;
import memlab.ephemeral.ModelConfig;
import memlab.ephemeral.RunConfig;
import memlab.tasks.chars.CharBatch;
import memlab.tasks.chars.CharTask;
import memlab.tasks.chars.ReversedSequence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark of notebook 02's long mode (a main, not a unit test).
 *
 * <p>(a) The cost of keeping a long run resumable: the long-mode eph-sweep batch (the sub-grid of
 * {@link SweepGrid#around}, hidden 256, 4 sequences) trained by {@link LongTraining} — block-mean
 * metrics and a checkpoint every {@code every} steps, far more often than long mode's 5000 so that
 * the checkpoints weigh in a short measurement — against the bare loop of model steps, interleaved
 * over repeats after a warm-up; prints the median and range of the ratio (long / bare − 1 =
 * overhead), and the checkpoint's own cost scaled to long mode's checkpoint interval.
 *
 * <p>(b) The step time of each batched model of long mode (eph-sweep, eph-volatility's baseline and
 * ephemeral groups, eph-gradnorms) and the projected wall time of long mode's long trainings on
 * this machine as loaded now (run it on idle cores for the number the notebook states).
 *
 * <p>Measured once, on 2 cores under a load average of ~30 (8 jobs sharing them): bare step 1.14 s
 * median (0.52–1.55); long / bare 1.079 (0.81–1.13), within the noise; bookkeeping inside the long
 * run 2.45% of its step time (1.6–6.5%) with a checkpoint every 10 steps, 500× long mode's rate; one
 * checkpoint (2.0 MB) 0.27 s, 0.005% of the step time at long mode's interval.
 *
 * <pre>
 *   java -cp memlab.jar memlab.bench.EphLongBench [steps=40] [repeats=5] [every=20] [warmup=20]
 * </pre>
 */
public final class EphLongBench {
    private EphLongBench() {}

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int stride = 10;
        Scale scale = Scale.paper();
        Path dir = Files.createTempDirectory("eph-long-bench");
        LongBudget real = new LongBudget(100_000, 100, 5000, 3, dir);
        SweepGrid grid = SweepGrid.around(scale, real);
        List<RunConfig> runs = grid.runs();
        CharTask task = ReversedSequence.threeChar();
        ai.djl.engine.Engine.getInstance();
        System.out.printf("(a) long-mode eph-sweep batch: %d runs × %d sequences, H=%d; %d steps per repeat, metrics every %d steps, checkpoint every %d (long mode: 5000), %d intra-op threads%n",
                runs.size(), grid.model().batch(), grid.model().hidden(), steps, stride, every, ai.djl.pytorch.jni.JniUtils.getNumThreads());
        bare(task, grid.model(), runs, 0, warmup);   // the JVM compiles the step first
        double[] ratio = new double[repeats], book = new double[repeats], bareStep = new double[repeats];
        double ckptSeconds = 0;
        int ckpts = 0;
        for (int i = 0; i < repeats; i++) {
            double b = bare(task, grid.model(), runs, 0, steps);
            Path file = dir.resolve("bench-" + i + ".ckpt");
            LongTraining.Result r = LongTraining.train("eph-sweep", task, grid.model(), runs, new LongTraining.Plan(steps, stride, every, file),
                    EphemeralTraining.EXPLODED, null);
            double l = r.stepSeconds() + r.bookkeepingSeconds();
            ratio[i] = l / b;
            book[i] = r.bookkeepingSeconds() / r.stepSeconds();
            bareStep[i] = b / steps;
            ckptSeconds += r.bookkeepingSeconds();
            ckpts += r.checkpoints();
            Files.deleteIfExists(file);
        }
        System.out.printf("    step time, bare loop: median %.1f ms (range %.1f–%.1f)%n", 1e3 * median(bareStep), 1e3 * min(bareStep), 1e3 * max(bareStep));
        System.out.printf("    long / bare (whole steps): median %.3f (range %.3f–%.3f) -> overhead %.1f%%%n", median(ratio), min(ratio), max(ratio), 100 * (median(ratio) - 1));
        System.out.printf("    metrics + checkpoints inside the long run, share of its step time: median %.2f%% (range %.2f–%.2f%%)%n",
                100 * median(book), 100 * min(book), 100 * max(book));
        double perCkpt = ckptSeconds / Math.max(1, ckpts);
        System.out.printf("    per checkpoint (with the metric logging of %d steps): %.1f ms, %d bytes; at long mode's interval (5000 steps): %.3f%% of the step time%n",
                every, 1e3 * perCkpt, checkpointBytes(task, grid.model(), runs, dir),
                100 * perCkpt / (5000 * median(bareStep)));

        // (b) step time of every long-mode batched model; projection
        System.out.println("(b) step time of long mode's batched models (median of " + repeats + " × " + steps + " steps after " + warmup + " warm-up steps):");
        List<Object[]> models = new ArrayList<>();
        models.add(new Object[]{"eph-sweep", task, grid.model(), runs});
        List<RunConfig> rnn = new ArrayList<>(), eph = new ArrayList<>(), gn = new ArrayList<>();
        for (int s = 0; s < real.samples(); s++) rnn.add(RunConfig.baseline(s, 1e-3));
        for (double a : new double[]{1e4, 3e4, 1e5}) for (int s = 0; s < real.samples(); s++) eph.add(RunConfig.ephemeral(s, 1e-4, a, 0.1, 0.7));
        for (double lr : new double[]{1e-4, 2e-4}) for (int s = 0; s < real.samples(); s++) gn.add(RunConfig.ephemeral(s, lr, 1e5, 0.1, 0.7));
        models.add(new Object[]{"eph-volatility rnn", ReversedSequence.palindromes(), ModelConfig.rnn(256, 4), rnn});
        models.add(new Object[]{"eph-volatility ephemeral", ReversedSequence.palindromes(), ModelConfig.ephemeral(256, 4), eph});
        models.add(new Object[]{"eph-gradnorms", task, ModelConfig.ephemeral(256, 4), gn});
        double total = 0;
        for (Object[] m : models) {
            @SuppressWarnings("unchecked") List<RunConfig> rs = (List<RunConfig>) m[3];
            bare((CharTask) m[1], (ModelConfig) m[2], rs, 0, warmup);
            double[] t = new double[repeats];
            for (int i = 0; i < repeats; i++) t[i] = bare((CharTask) m[1], (ModelConfig) m[2], rs, 0, steps) / steps;
            double projected = median(t) * real.steps() * median(ratio);
            total += projected;
            System.out.printf("    %-26s %3d runs: %.1f ms per step (range %.1f–%.1f) -> %d steps with checkpoints: %.0f min%n", m[0], rs.size(),
                    1e3 * median(t), 1e3 * min(t), 1e3 * max(t), real.steps(), projected / 60);
        }
        System.out.printf("    long trainings together: %.1f h (projected from the step times above, with the measured overhead)%n", total / 3600);
    }

    /** Seconds of {@code n} bare model steps (no logging, no checkpoint) from step {@code from}, construction excluded. */
    static double bare(CharTask task, ModelConfig cfg, List<RunConfig> runs, int from, int n) {
        long[] seeds = runs.stream().mapToLong(RunConfig::seed).toArray();
        try (NDManager base = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(base, cfg, runs, task.alphabet().size())) {
            long t0 = System.nanoTime();
            for (int s = from; s < from + n; s++) net.step(CharBatch.draw(task, seeds, cfg.batch(), "train", s), true);
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private static long checkpointBytes(CharTask task, ModelConfig cfg, List<RunConfig> runs, Path dir) throws Exception {
        Path f = dir.resolve("size.ckpt");
        LongTraining.train("size", task, cfg, runs, new LongTraining.Plan(1, 1, 1, f), EphemeralTraining.EXPLODED, null);
        long n = Files.size(f);
        Files.deleteIfExists(f);
        return n;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

    private static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }
}
