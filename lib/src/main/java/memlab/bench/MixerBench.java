package memlab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import memlab.core.Seeds;
import memlab.mixers.DeltaNet;
import memlab.mixers.GatedDeltaNet;
import memlab.mixers.LinearAttention;
import memlab.mixers.Mixer;
import memlab.mixers.MixerSpec;
import memlab.mixers.SequenceModel;
import memlab.train.Optimizer;
import memlab.train.ParamSet;
import memlab.train.Step;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Benchmark (not a test). (a) Per mixer, one training step of the recall model — batch 32, length
 * 256, width 128, 2 heads, 2 layers of that mixer, vocabulary 256, window 64, Adam; forward,
 * cross-entropy at ~10% answer positions, backward, update — in this JVM and in eager PyTorch
 * ({@code reference/mixers_bench.py}, the same model and the same fast forms, kept running as a
 * server so that both sides are timed alternately, repeat after repeat, with the same intra-op thread
 * count). (b) Per recurrent mixer, the fast form against the step-by-step recurrence: forward and
 * backward of one mixer on the same input. Prints median and range over the repeats.
 *
 * <pre>  java -cp lib/target/memlab.jar memlab.bench.MixerBench [repeats 5] [steps 3] [threads 2] [warm-up steps 3]</pre>
 *
 * <p>{@code MixerBench smoke [steps]} instead trains tiny recall models (not a benchmark, not a test
 * of a result): sliding-window attention with windows 2, 8, 32 and DeltaNet at widths 16, 32, 64, on
 * MQAR with 64 tokens, 8 pairs, vocabulary 64, each mixer behind a 4-tap short convolution (as in
 * {@link memlab.mixers.RecallExperiment}), and prints held-out accuracy against state size.
 */
public final class MixerBench {
    private MixerBench() {}

    static final int BATCH = 32, LENGTH = 256, WIDTH = 128, HEADS = 2, VOCAB = 256, LAYERS = 2, WINDOW = 64;
    static final Map<String, MixerSpec> MIXERS = new LinkedHashMap<>();

    static {
        MIXERS.put("attention", MixerSpec.attention(HEADS));
        MIXERS.put("window", MixerSpec.slidingWindow(HEADS, WINDOW));
        MIXERS.put("linear", MixerSpec.linearAttention(HEADS));
        MIXERS.put("delta", MixerSpec.deltaNet(HEADS));
        MIXERS.put("gated", MixerSpec.gatedDeltaNet(HEADS));
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("smoke")) {
            smoke(args.length > 1 ? Integer.parseInt(args[1]) : 600);
            return;
        }
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Engine.getInstance();                  // loads the native library before the thread count is set
        JniUtils.setNumThreads(threads);
        System.out.printf(Locale.ROOT, "recall model: B %d, T %d, D %d, H %d, V %d, %d layers, window %d; %d repeats x %d steps after %d warm-up steps, %d threads%n",
                BATCH, LENGTH, WIDTH, HEADS, VOCAB, LAYERS, WINDOW, repeats, steps, warmup, threads);
        trainingStep(repeats, steps, threads, warmup);
        fastVsRecurrent(Math.max(3, repeats / 2));
    }

    /** (a) Java vs PyTorch, one training step per mixer. */
    static void trainingStep(int repeats, int steps, int threads, int warmup) throws Exception {
        Path script = Path.of("reference/mixers_bench.py");
        if (!Files.exists(script)) script = Path.of("../reference/mixers_bench.py");
        Process py = null;
        BufferedReader pyOut = null;
        PrintWriter pyIn = null;
        if (Files.exists(script) && Files.exists(Path.of("/usr/bin/python3"))) {
            py = new ProcessBuilder("/usr/bin/python3", script.toString(), "--threads", "" + threads, "--batch", "" + BATCH,
                    "--length", "" + LENGTH, "--width", "" + WIDTH, "--heads", "" + HEADS, "--vocab", "" + VOCAB,
                    "--layers", "" + LAYERS, "--window", "" + WINDOW, "--chunk", "" + DeltaNet.CHUNK, "--warmup", "" + warmup)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            pyOut = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
            pyIn = new PrintWriter(py.getOutputStream(), true, StandardCharsets.UTF_8);
            System.out.println("pytorch  " + pyOut.readLine());
        } else System.out.println("pytorch  skipped: reference/mixers_bench.py or /usr/bin/python3 not found");

        Map<String, double[]> java = new LinkedHashMap<>(), torch = new LinkedHashMap<>();
        try (NDManager base = NDManager.newBaseManager()) {
            Map<String, SequenceModel> models = new LinkedHashMap<>();
            Map<String, Optimizer> opts = new LinkedHashMap<>();
            for (var e : MIXERS.entrySet()) {
                models.put(e.getKey(), new SequenceModel(base, SequenceModel.Config.of(VOCAB, WIDTH, LENGTH, List.of(e.getValue(), e.getValue())), new long[]{0}));
                opts.put(e.getKey(), Optimizer.adam(1e-3));
                for (int w = 0; w < warmup; w++) step(models.get(e.getKey()), opts.get(e.getKey()), w);
                java.put(e.getKey(), new double[repeats]);
                torch.put(e.getKey(), new double[repeats]);
            }
            for (int r = 0; r < repeats; r++)
                for (String kind : MIXERS.keySet()) {
                    long t0 = System.nanoTime();
                    for (int s = 0; s < steps; s++) step(models.get(kind), opts.get(kind), 100 + r * steps + s);
                    java.get(kind)[r] = (System.nanoTime() - t0) / 1e9 / steps;
                    if (pyIn != null) {
                        pyIn.println(kind + " " + steps);
                        String json = pyOut.readLine();
                        torch.get(kind)[r] = Double.parseDouble(json.replaceAll(".*\"sec_per_step\": *([0-9.eE+-]+).*", "$1"));
                    }
                }
            for (SequenceModel m : models.values()) m.close();
            for (Optimizer o : opts.values()) o.close();
        } finally {
            if (pyIn != null) pyIn.close();
            if (py != null) py.waitFor();
        }
        System.out.println("(a) one training step, s/step: median [min, max] over repeats; ratio java/pytorch per repeat (below 1: Java faster)");
        for (String kind : MIXERS.keySet()) {
            double[] j = java.get(kind), t = torch.get(kind), ratio = new double[repeats];
            for (int r = 0; r < repeats; r++) ratio[r] = j[r] / t[r];
            System.out.printf(Locale.ROOT, "  %-10s java %s   pytorch %s   ratio %s%n", kind, summary(j), py == null ? "-" : summary(t), py == null ? "-" : summary(ratio));
        }
    }

    /** One Adam step of {@code model} on random tokens, random targets, ~10% answer positions. */
    static void step(SequenceModel model, Optimizer opt, long index) {
        try (Step step = Step.open(model.params().manager(), model.params().arrays(), opt.state())) {
            NDManager m = step.manager();
            SplittableRandom rng = Seeds.stream(0, "mixer-bench", index);
            int n = BATCH * LENGTH;
            int[] tokens = new int[n], targets = new int[n];
            float[] answers = new float[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = rng.nextInt(VOCAB);
                targets[i] = rng.nextInt(VOCAB);
                answers[i] = rng.nextDouble() < 0.1 ? 1f : 0f;
            }
            Shape s = new Shape(1, BATCH, LENGTH);
            try (var gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(model.loss(m.create(tokens, s), m.create(targets, s), m.create(answers, s)).loss());
            }
            opt.step(model.params(), m);
        }
    }

    /** (b) The fast form against the recurrence: forward + backward of one mixer on x (1, B, T, D). */
    static void fastVsRecurrent(int repeats) {
        System.out.println("(b) fast form vs recurrence, one mixer forward + backward (B 32, T 256, D 128, H 2): s; speed-up = recurrence / fast");
        try (NDManager base = NDManager.newBaseManager()) {
            for (String kind : List.of("linear", "delta", "gated")) {
                try (ParamSet ps = new ParamSet(base, 1)) {
                    long[] seed = {0};
                    Mixer mixer = switch (kind) {
                        case "linear" -> new LinearAttention(ps, "m", WIDTH, HEADS, seed);
                        case "delta" -> new DeltaNet(ps, "m", WIDTH, HEADS, seed);
                        default -> new GatedDeltaNet(ps, "m", WIDTH, HEADS, seed);
                    };
                    double[] fast = new double[repeats], slow = new double[repeats], speedup = new double[repeats];
                    for (int r = -1; r < repeats; r++) {     // r = −1: warm-up
                        double f = time(ps, () -> mixer.forward(input(ps), Mixer.Form.FAST));
                        double s = time(ps, () -> mixer.forward(input(ps), Mixer.Form.RECURRENT));
                        if (r >= 0) { fast[r] = f; slow[r] = s; speedup[r] = s / f; }
                    }
                    System.out.printf(Locale.ROOT, "  %-10s fast %s   recurrence %s   speed-up %s%n", kind, summary(fast), summary(slow), summary(speedup));
                }
            }
        }
    }

    private static NDArray input(ParamSet ps) {
        return ps.manager().create(Seeds.normal(Seeds.stream(0, "x"), new float[BATCH * LENGTH * WIDTH]), new Shape(1, BATCH, LENGTH, WIDTH));
    }

    private static double time(ParamSet ps, Supplier<NDArray> forward) {
        long t0 = System.nanoTime();
        try (Step step = Step.open(ps.manager(), ps.arrays())) {
            try (var gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = forward.get();
                step.manager().tempAttachAll(y);
                gc.backward(y.square().mean());
            }
        }
        ps.zeroGrad();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** (c) A smoke run: held-out MQAR accuracy against state size for two families, two seeds each. */
    static void smoke(int steps) {
        var task = new memlab.tasks.MultiQueryRecall(64, 8, 64);
        long[] seeds = {1, 2};
        List<Object[]> runs = new ArrayList<>();
        for (int w : new int[]{2, 8, 32}) runs.add(new Object[]{MixerSpec.slidingWindow(1, w), 32});
        for (int d : new int[]{16, 32, 64}) runs.add(new Object[]{MixerSpec.deltaNet(1), d});
        System.out.printf(Locale.ROOT, "(c) smoke: MQAR V 64, 8 pairs, T 64; 2 layers, 1 head, short convolution 4, Adam 3e-3, batch 32, %d steps, seeds 1 and 2%n", steps);
        try (NDManager base = NDManager.newBaseManager()) {
            for (Object[] run : runs) {
                MixerSpec spec = (MixerSpec) run[0];
                int width = (Integer) run[1];
                long t0 = System.nanoTime();
                try (SequenceModel model = new SequenceModel(base, SequenceModel.Config.of(64, width, 64, List.of(spec, spec)).withShortConv(4), seeds);
                     Optimizer opt = Optimizer.adam(3e-3).forRuns(seeds.length)) {
                    for (int s = 0; s < steps; s++) memlab.mixers.RecallTraining.step(model, opt, task, 32, seeds, s);
                    float[] acc = memlab.mixers.RecallTraining.accuracy(model, task, 64, seeds, 4);
                    System.out.printf(Locale.ROOT, "  %-10s width %3d  state %6d  accuracy %s  (%.0f s)%n", spec, width,
                            model.stateSize(64), Arrays.toString(acc), (System.nanoTime() - t0) / 1e9);
                }
            }
        }
    }

    /** "median [min, max]". */
    static String summary(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        double med = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return String.format(Locale.ROOT, "%.4g [%.4g, %.4g]", med, s[0], s[s.length - 1]);
    }
}
