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
 *
 * <pre>  java -cp memlab.jar memlab.bench.DeviceCheck [tolerance]</pre>
 */
public final class DeviceCheck {
    private DeviceCheck() {}

    public static void main(String[] args) {
        double tolerance = args.length > 0 ? Double.parseDouble(args[0]) : 1e-3;
        Engine engine = Engine.getInstance();
        System.out.println("engine " + engine.getEngineName() + " " + engine.getVersion() + ", GPUs seen: " + engine.getGpuCount());
        Device gpu = Devices.choose("gpu:0");   // fails clearly when there is none
        double worst = 0;
        Map<String, Double> egl = compare(egl(Device.cpu()), egl(gpu));
        Map<String, Double> eph = compare(ephemeral(Device.cpu()), ephemeral(gpu));
        for (var e : egl.entrySet()) System.out.printf("egl  %-36s rel. diff %.2e%n", e.getKey(), e.getValue());
        for (var e : eph.entrySet()) System.out.printf("eph  %-36s rel. diff %.2e%n", e.getKey(), e.getValue());
        for (double d : egl.values()) worst = Math.max(worst, d);
        for (double d : eph.values()) worst = Math.max(worst, d);
        System.out.printf("largest relative difference CPU vs %s: %.2e (tolerance %.0e) -> %s%n", gpu, worst, tolerance, worst <= tolerance ? "same maths" : "DIFFERENT");
        if (!(worst <= tolerance)) System.exit(1);
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
