package memlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Checks the update rules against the formulas computed by hand in plain Java. */
class OptimizerTest {
    /** One parameter of 2 runs × 3 values with a fixed gradient g = c·θ (from loss Σ c θ²/2). */
    private static float[][] run(Optimizer opt, float[] theta0, float c, int steps, float[] normsOut) {
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 2)) {
            ps.add("w", new Shape(3), r -> java.util.Arrays.copyOfRange(theta0, r * 3, r * 3 + 3));
            for (int s = 0; s < steps; s++) {
                try (Step step = Step.open(ps.manager(), ps.arrays(), opt.state())) {
                    try (var gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        NDArray w = ps.get("w");
                        gc.backward(w.square().mul(c / 2).sum());
                    }
                    float[] n = opt.step(ps, step.manager());
                    if (normsOut != null) System.arraycopy(n, 0, normsOut, 0, 2);
                }
            }
            float[] all = ps.get("w").toFloatArray();
            return new float[][]{java.util.Arrays.copyOfRange(all, 0, 3), java.util.Arrays.copyOfRange(all, 3, 6)};
        }
    }

    @Test
    void sgdWithGlobalNormClippingPerRun() {
        float[] th = {3, 4, 0, 0.3f, 0.4f, 0};
        float[] norms = new float[2];
        // run 0: |g| = 5 clipped to 1; run 1: |g| = 0.5 < 1 untouched
        float[][] out = run(Optimizer.of(Optimizer.Rule.SGD, new double[]{0.1, 0.1}).clip(1.0), th, 1f, 1, norms);
        assertEquals(5f, norms[0], 1e-5);
        assertEquals(0.5f, norms[1], 1e-6);
        double k = 1.0 / (5 + 1e-6);
        assertEquals(3 - 0.1 * 3 * k, out[0][0], 1e-6);
        assertEquals(4 - 0.1 * 4 * k, out[0][1], 1e-6);
        assertEquals(0.3 - 0.1 * 0.3, out[1][0], 1e-6);
    }

    @Test
    void adamAndAdamWFollowPytorchFormulas() {
        float[] th = {1, -2, 0.5f, 1, -2, 0.5f};
        int steps = 3;
        double lr = 0.01, c = 2, wd = 0.01;
        float[][] adam = run(Optimizer.of(Optimizer.Rule.ADAM, new double[]{lr, lr}), th, (float) c, steps, null);
        float[][] adamw = run(Optimizer.of(Optimizer.Rule.ADAMW, new double[]{lr, lr}), th, (float) c, steps, null);
        for (int i = 0; i < 3; i++) {
            double[] p = {th[i], th[i]}; // [adam, adamw]
            double[] m = new double[2], v = new double[2];
            for (int t = 1; t <= steps; t++) {
                for (int k = 0; k < 2; k++) {
                    double g = c * p[k];
                    if (k == 1) p[k] *= 1 - lr * wd;
                    m[k] = 0.9 * m[k] + 0.1 * g;
                    v[k] = 0.999 * v[k] + 0.001 * g * g;
                    double denom = Math.sqrt(v[k] / (1 - Math.pow(0.999, t))) + 1e-8;
                    p[k] -= lr / (1 - Math.pow(0.9, t)) * m[k] / denom;
                }
            }
            assertEquals(p[0], adam[0][i], 1e-6);
            assertEquals(p[1], adamw[1][i], 1e-6);
        }
    }

    @Test
    void badArgumentsFailWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(0));
        assertTrue(e.getMessage().contains("lr"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(-1e-3));
        assertTrue(e.getMessage().contains("lr") && e.getMessage().contains("> 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1).clip(0));
        assertTrue(e.getMessage().contains("maxNorm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.rule("rmsprop"));
        assertTrue(e.getMessage().contains("sgd, adam, adamw"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.of(null, new double[]{1e-3}));
        assertTrue(e.getMessage().contains("rule") && e.getMessage().contains("SGD, ADAM, ADAMW"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.of(Optimizer.Rule.ADAM, new double[0]));
        assertTrue(e.getMessage().contains("lr") && e.getMessage().contains("one per run"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.of(Optimizer.Rule.ADAM, null));
        assertTrue(e.getMessage().contains("lr"), e.getMessage());
    }
}
