package memlab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import memlab.core.Devices;
import memlab.egl.AttentionMemoryInterface;
import memlab.ephemeral.EphemeralNet;
import memlab.ephemeral.ModelConfig;
import memlab.ephemeral.RunConfig;
import memlab.tasks.CopyTask;
import memlab.tasks.chars.CharBatch;
import memlab.tasks.chars.ReversedSequence;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Same maths on CPU and GPU (a main, not a unit test: it needs a GPU). Runs, on the CPU and on
 * {@code gpu:0}, with the same seeds: (1) one forward/backward of the EGL model with the gradient
 * link on and off, comparing the loss and every parameter gradient; (2) five steps of the batched
 * ephemeral-weights model (DFA and Backprop), comparing the per-run metrics. Prints the largest
 * norm-relative difference of each, {@code ‖cpu − gpu‖ / ‖cpu‖}, and exits non-zero above
 * {@code tolerance} (default 1e-3: float32 arithmetic in another order, TF32 where cuBLAS uses it).
 * Then times a training step of both models at the papers' sizes on each device (the EGL copy task,
 * {@link memlab.egl.CopyExperiment.Setup#paper()}, link on; the batched eph-sweep grid,
 * {@link memlab.ephemeral.EphemeralExperiment.SweepGrid#paper()}), the two devices interleaved over
 * {@code repeats}, and prints seconds per step and the median and range of the ratios CPU / GPU.
 *
 * <p>{@code --cpu-only} runs the CPU half alone, for a machine without a GPU: the comparison is then
 * CPU against a second CPU run with the same seeds (it must be identical), and only CPU times are
 * printed. It shows that the engine, the JNI and the Java runtime run the check, not that a GPU does.
 *
 * <pre>  java -cp memlab.jar memlab.bench.DeviceCheck [--cpu-only] [--steps N] [--repeats N] [--no-timing] [tolerance]</pre>
 */
public final class DeviceCheck {
    private DeviceCheck() {}

    /** The parsed command line. */
    record Options(boolean cpuOnly, boolean timing, int steps, int repeats, double tolerance) {
        static Options parse(String... args) {
            boolean cpuOnly = false, timing = true;
            int steps = 10, repeats = 3;
            double tolerance = 1e-3;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--cpu-only" -> cpuOnly = true;
                    case "--no-timing" -> timing = false;
                    case "--steps" -> steps = positive("--steps", i + 1 < args.length ? args[++i] : null);
                    case "--repeats" -> repeats = positive("--repeats", i + 1 < args.length ? args[++i] : null);
                    default -> {
                        if (a.startsWith("-") && !a.matches("-?[0-9.eE+-]+"))
                            throw new IllegalArgumentException("unknown option '" + a + "' (allowed: --cpu-only, --steps N, --repeats N, --no-timing, tolerance)");
                        try {
                            tolerance = Double.parseDouble(a);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("tolerance must be a number > 0, got '" + a + "'");
                        }
                        if (!(tolerance > 0) || Double.isInfinite(tolerance))
                            throw new IllegalArgumentException("tolerance must be a finite number > 0, got " + a);
                    }
                }
            }
            return new Options(cpuOnly, timing, steps, repeats, tolerance);
        }

        private static int positive(String name, String value) {
            if (value == null) throw new IllegalArgumentException(name + " needs a whole number >= 1");
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) return n;
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
            throw new IllegalArgumentException(name + " must be a whole number >= 1, got '" + value + "'");
        }
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("DeviceCheck: " + e.getMessage());
            System.exit(2);
            return;
        }
        Engine engine = Engine.getInstance();
        System.out.println("engine " + engine.getEngineName() + " " + engine.getVersion() + ", GPUs seen: " + engine.getGpuCount());
        // fails clearly when there is no GPU; with --cpu-only the second half is a second CPU run
        Device other = o.cpuOnly() ? Device.cpu() : Devices.choose("gpu:0");
        if (o.cpuOnly()) System.out.println("--cpu-only: the GPU half is skipped; the CPU half is compared with a second CPU run (same seeds)");
        double worst = 0;
        Map<String, Double> egl = compare(egl(Device.cpu()), egl(other));
        Map<String, Double> eph = compare(ephemeral(Device.cpu()), ephemeral(other));
        for (var e : egl.entrySet()) System.out.printf("egl  %-36s rel. diff %.2e%n", e.getKey(), e.getValue());
        for (var e : eph.entrySet()) System.out.printf("eph  %-36s rel. diff %.2e%n", e.getKey(), e.getValue());
        for (double d : egl.values()) worst = Math.max(worst, d);
        for (double d : eph.values()) worst = Math.max(worst, d);
        String against = o.cpuOnly() ? "a second CPU run" : other.toString();
        System.out.printf("largest relative difference CPU vs %s: %.2e (tolerance %.0e) -> %s%n", against, worst, o.tolerance(), worst <= o.tolerance() ? "same maths" : "DIFFERENT");
        if (o.timing()) time(o, other);
        if (!(worst <= o.tolerance())) System.exit(1);
    }

    /**
     * Seconds per training step at the papers' sizes, CPU and GPU interleaved over the repeats (one
     * warm-up pass of each model on each device first, so that neither pays for JIT or CUDA start-up).
     */
    private static void time(Options o, Device gpu) {
        String saved = System.getProperty(Devices.PROPERTY);
        var grid = memlab.ephemeral.EphemeralExperiment.SweepGrid.paper();
        var task = ReversedSequence.threeChar();
        List<Device> devices = o.cpuOnly() ? List.of(Device.cpu()) : List.of(Device.cpu(), gpu);
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        System.out.printf("timing: %d steps a measurement, %d repeats, devices %s; EGL %s link on; eph-sweep grid %d runs, H=%d, batch %d%n",
                o.steps(), o.repeats(), devices.stream().map(DeviceCheck::name).toList(), memlab.egl.CopyExperiment.Setup.paper(), grid.runs().size(), grid.model().hidden(), grid.model().batch());
        try {
            for (int rep = -1; rep < o.repeats(); rep++) {   // rep -1: warm-up, not recorded
                for (Device d : devices) {
                    System.setProperty(Devices.PROPERTY, name(d));   // the trainers pick their device from it
                    int steps = rep < 0 ? 3 : o.steps();
                    double egl = EglBench.secondsPerEpoch(true, 1, steps, 1);
                    double eph = EphBench.time(task, grid.model(), grid.runs(), steps, 0, false) / steps;
                    if (rep < 0) continue;
                    seconds.computeIfAbsent("egl " + name(d), k -> new ArrayList<>()).add(egl);
                    seconds.computeIfAbsent("eph " + name(d), k -> new ArrayList<>()).add(eph);
                }
            }
        } finally {
            if (saved == null) System.clearProperty(Devices.PROPERTY); else System.setProperty(Devices.PROPERTY, saved);
        }
        for (String model : List.of("egl", "eph")) {
            List<Double> cpu = seconds.get(model + " cpu");
            StringBuilder line = new StringBuilder(String.format("time %s s/step  cpu median %.4f", model, median(cpu)));
            if (!o.cpuOnly()) {
                List<Double> g = seconds.get(model + " " + name(gpu));
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < cpu.size(); i++) ratios.add(cpu.get(i) / g.get(i));
                line.append(String.format("  %s median %.4f  cpu/gpu median %.2f (range %.2f-%.2f)", name(gpu), median(g), median(ratios),
                        ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                        ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
            }
            System.out.println(line);
        }
    }

    /** The name {@link Devices#choose(String)} reads: cpu or gpu:N. */
    private static String name(Device d) {
        return d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu";
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Loss and parameter gradients of the EGL model (run 0 link off, run 1 link on), flattened per name. */
    private static Map<String, float[]> egl(Device device) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager(device); ParamSet p = new ParamSet(m, 2)) {
            int b = 4, t = 8, in = 10, d = 16, s = 12;
            long[] seeds = {3, 3};
            var model = new AttentionMemoryInterface(p, in, d, s, seeds);
            NDArray x = CopyTask.normals(m, seeds, "check-x", 0, new Shape(b, t, in));
            NDArray mem = CopyTask.normals(m, seeds, "check-m", 0, new Shape(b, s, d));
            NDArray probe = m.zeros(new Shape(2, b, t, d));
            probe.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                var pass = model.forward(x, mem, m.create(new float[]{0, 1}), probe);
                NDArray loss = pass.output().sub(x).square().reshape(2, -1).mean(new int[]{1});
                gc.backward(loss.sum());
                out.put("loss (link off, on)", loss.toFloatArray());
            }
            for (var e : p.all().entrySet()) out.put("grad " + e.getKey() + " (off, on)", e.getValue().getGradient().toFloatArray());
        }
        return out;
    }

    /** Per-run metrics of five steps of the ephemeral model, DFA and Backprop, two runs each. */
    private static Map<String, float[]> ephemeral(Device device) {
        Map<String, float[]> out = new LinkedHashMap<>();
        ReversedSequence task = ReversedSequence.threeChar();
        List<RunConfig> runs = new ArrayList<>(List.of(RunConfig.ephemeral(0, 1e-4, 1e4, 0.1, 0.7), RunConfig.ephemeral(1, 2e-4, 1e5, 0.1, 0.7)));
        long[] seeds = runs.stream().mapToLong(RunConfig::seed).toArray();
        for (ModelConfig cfg : List.of(ModelConfig.ephemeral(32, 2), ModelConfig.ephemeral(32, 2).withUpdater(memlab.ephemeral.Updater.BACKPROP))) {
            try (NDManager m = NDManager.newBaseManager(device); EphemeralNet net = new EphemeralNet(m, cfg, runs, task.alphabet().size())) {
                for (int step = 0; step < 5; step++) {
                    Map<String, float[]> metrics = net.step(CharBatch.draw(task, seeds, cfg.batch(), "check", step), true);
                    for (String k : List.of(EphemeralNet.LOSS, EphemeralNet.GRAD_HIGH, EphemeralNet.GRAD_LOW))
                        out.put(cfg.updater().name().toLowerCase() + " step " + step + " " + k, metrics.get(k));
                }
            }
        }
        return out;
    }

    /** Per key, ‖a − b‖ / ‖a‖ (‖a‖ at least 1e-12): a norm-relative error, as for any float32 comparison. */
    private static Map<String, Double> compare(Map<String, float[]> a, Map<String, float[]> b) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : a.keySet()) {
            float[] x = a.get(k), y = b.get(k);
            double diff = 0, norm = 0;
            for (int i = 0; i < x.length; i++) {
                diff += (x[i] - y[i]) * (double) (x[i] - y[i]);
                norm += x[i] * (double) x[i];
            }
            double rel = Math.sqrt(diff) / Math.max(1e-12, Math.sqrt(norm));
            out.put(k, Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel);
        }
        return out;
    }
}
