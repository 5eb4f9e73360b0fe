package memlab.bench;

import ai.djl.ndarray.NDManager;
import memlab.ephemeral.EphemeralNet;
import memlab.ephemeral.ModelConfig;
import memlab.ephemeral.RunConfig;
import memlab.ephemeral.EphemeralExperiment;
import memlab.tasks.chars.CharBatch;
import memlab.tasks.chars.ReversedSequence;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark of the ephemeral-weights model (a main, not a unit test).
 *
 * <p>(a) The eph-sweep grid (base lr × plasticity × samples, 3-character reversed sequences)
 * trained as one batched model vs the same runs one after another; the sequential time is measured
 * on a subset of the runs and extrapolated (printed as such), with the faster of 2 and 1 intra-op
 * threads. Both sides are timed after the JVM has compiled the step (warm-up steps of the batched
 * model first; each sequential run also gets 2 warm-up steps). As a reference, the same batched
 * model with plasticity off (no ephemeral weight read or written, everything else unchanged) is
 * timed too: sequential time over it bounds the speed-up any handling of the ephemeral weights
 * could reach.
 *
 * <p>(b) Character-steps per second of a single run (B = 1, H = 256, DFA) vs
 * {@code reference/eph_bench.py} (eager PyTorch, same rule, run with {@code /usr/bin/python3}), and
 * their ratio. Both sides use one intra-op thread: a single run's
 * tensors are a few hundred numbers, where a second thread only adds wake-ups (the PyTorch script's
 * speed does not change with its thread count). The PyTorch script computes the same per-step
 * metrics as memlab's step (loss, accuracies, gradient norms, ephemeral maximum); its update-only
 * speed is printed beside it.
 *
 * <pre>
 *   java -cp memlab.jar memlab.bench.EphBench [steps=20] [sequentialRuns=10] [python=/usr/bin/python3] [batchedWarmup=100]
 * </pre>
 */
public final class EphBench {
    private EphBench() {}

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int sequentialRuns = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String python = args.length > 2 ? args[2] : "/usr/bin/python3";
        int batchedWarmup = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        ReversedSequence task = ReversedSequence.threeChar();

        // (a) batched sweep vs sequential runs. The JVM compiles the step during the first few tens
        // of steps of the batched model, its compiler threads competing with PyTorch's for the 2
        // cores: both sides are measured after that warm-up, so neither pays for it.
        EphemeralExperiment.SweepGrid grid = EphemeralExperiment.SweepGrid.paper();
        List<RunConfig> runs = grid.runs();
        ModelConfig cfg = grid.model();
        ai.djl.engine.Engine.getInstance();   // loads the native library before asking it anything
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        double batched = time(task, cfg, runs, steps, batchedWarmup, false);
        // reference: the same batched model with no plastic weight at all (fraction 0: no ephemeral
        // read or write, the rest of the step unchanged). No handling of E can make the batched sweep
        // faster than this, so sequential / plasticityOff bounds the speed-up this model can reach.
        List<RunConfig> noPlasticity = runs.stream().map(r -> new RunConfig(r.seed(), r.lr(), r.plasticity(), 0, r.forgetRate(), r.clip())).toList();
        double plasticityOff = time(task, cfg, noPlasticity, steps, batchedWarmup, false);
        // a single run's tensors are small: one intra-op thread may beat two; the baseline gets the faster
        double perRunThreads = time(task, cfg, runs.subList(0, sequentialRuns), steps, 2, true) / sequentialRuns;
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        double perRunOne = time(task, cfg, runs.subList(0, sequentialRuns), steps, 2, true) / sequentialRuns;
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        double perRun = Math.min(perRunThreads, perRunOne);
        double sequential = perRun * runs.size();
        System.out.printf("(a) eph-sweep grid: %d runs × %d sequences, H=%d, %d steps (after %d warm-up steps of the batched model)%n",
                runs.size(), cfg.batch(), cfg.hidden(), steps, batchedWarmup);
        System.out.printf("    batched (one model, %d intra-op threads): %.2f s%n", threads, batched);
        System.out.printf("    sequential: %.3f s per run with %d threads, %.3f s with 1 (measured on %d runs); the faster, extrapolated to %d runs: %.1f s%n",
                perRunThreads, threads, perRunOne, sequentialRuns, runs.size(), sequential);
        System.out.printf("    speed-up: %.1fx%n", sequential / batched);
        System.out.printf("    reference, the same batched model with plasticity off (fraction 0): %.2f s -> at most %.1fx for any handling of the ephemeral weights%n",
                plasticityOff, sequential / plasticityOff);

        // (b) single run vs eager PyTorch, one intra-op thread on both sides
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        ModelConfig one = ModelConfig.ephemeral(256, 1);
        RunConfig run = RunConfig.ephemeral(0, 1e-4, 1e4, 0.1, 0.7);
        int singleSteps = 2000, warmupSteps = 1000;   // the JIT needs ~1000 steps to settle
        long chars;
        double secs;
        try (NDManager m = NDManager.newBaseManager(memlab.core.Devices.choose()); EphemeralNet net = new EphemeralNet(m, one, List.of(run), task.alphabet().size())) {
            long[] seeds = {0};
            for (int s = 0; s < warmupSteps; s++) net.step(CharBatch.draw(task, seeds, 1, "train", s), true);
            chars = 0;
            long t0 = System.nanoTime();
            for (int s = 0; s < singleSteps; s++) {
                CharBatch data = CharBatch.draw(task, seeds, 1, "train", warmupSteps + s);
                chars += data.validCount(0);
                net.step(data, true);
            }
            secs = (System.nanoTime() - t0) / 1e9;
        }
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        double javaRate = chars / secs;
        System.out.printf("(b) single run (B=1, H=256, DFA, 1 thread): %.0f character-steps/s (memlab, DJL, with its per-step metrics)%n", javaRate);
        Path script = Path.of("reference/eph_bench.py");
        if (!Files.exists(script)) script = Path.of("../reference/eph_bench.py");
        if (Files.exists(script) && Files.exists(Path.of(python))) {
            for (boolean metrics : new boolean[]{true, false}) {
                List<String> cmd = new java.util.ArrayList<>(List.of(python, script.toString(), "--steps", String.valueOf(singleSteps), "--threads", "1"));
                if (!metrics) cmd.add("--no-metrics");
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String json;
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                    json = r.lines().reduce("", (a, b) -> b);
                }
                p.waitFor();
                System.out.println("    PyTorch: " + json);
                for (String key : new String[]{"explicit_char_steps_per_s", "autograd_char_steps_per_s"}) {
                    int i = json.indexOf(key);
                    if (i < 0) continue;
                    String rest = json.substring(i + key.length() + 3);
                    double torch = Double.parseDouble(rest.split("[,}]")[0].trim());
                    System.out.printf("    memlab / PyTorch (%s, %s): %.2f%n", key.replace("_char_steps_per_s", ""),
                            metrics ? "same metrics" : "PyTorch without metrics", javaRate / torch);
                }
            }
        } else {
            System.out.println("    (no " + python + " or reference/eph_bench.py: PyTorch comparison skipped)");
        }
    }

    /** Seconds for {@code steps} steps of {@code runs}, batched or (if {@code oneByOne}) one run after another. */
    static double time(ReversedSequence task, ModelConfig cfg, List<RunConfig> runs, int steps, int warmup, boolean oneByOne) {
        List<List<RunConfig>> groups = oneByOne ? runs.stream().map(List::of).toList() : List.of(runs);
        double total = 0;
        for (List<RunConfig> g : groups) {
            long[] seeds = g.stream().mapToLong(RunConfig::seed).toArray();
            try (NDManager m = NDManager.newBaseManager(memlab.core.Devices.choose()); EphemeralNet net = new EphemeralNet(m, cfg, g, task.alphabet().size())) {
                for (int s = 0; s < warmup; s++) net.step(CharBatch.draw(task, seeds, cfg.batch(), "train", s), true);
                long t0 = System.nanoTime();
                for (int s = 0; s < steps; s++) net.step(CharBatch.draw(task, seeds, cfg.batch(), "train", warmup + s), true);
                total += (System.nanoTime() - t0) / 1e9;
            }
        }
        return total;
    }
}
