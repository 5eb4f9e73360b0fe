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

    /**
     * A sweep wide enough to be updated in column blocks (4 runs × 150 001 values, 2.4 MB: 3 blocks
     * whose cuts fall inside the parameters): every value as the formulas give it, computed in plain
     * Java over each run's whole gradient. Run 0 is clipped, run 1 not, run 2 frozen with NaN
     * gradients (it must not move), run 3 has another learning rate.
     */
    @Test
    void adamInColumnBlocksMatchesTheFormulasOverEachRunsWholeGradient() {
        int runs = 4, a = 100_000, b = 50_001, steps = 2;
        assertTrue(Optimizer.blockCuts(runs, a + b, 4).length >= 2, "the sizes must make several blocks");
        double[] lr = {0.01, 0.02, 0.01, 0.005}, clip = {1.0, Double.POSITIVE_INFINITY, 1.0, 1.0}, c = {2, 1e-3, Double.NaN, 1e-3};
        java.util.function.IntFunction<float[]> init = n -> {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) Math.sin(0.37 * i + n);
            return v;
        };
        Optimizer opt = Optimizer.of(Optimizer.Rule.ADAM, lr).clip(clip);
        float[] wOut, uOut, norms = null;
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, runs)) {
            ps.add("w", new Shape(a), r -> init.apply(a));
            ps.add("u", new Shape(b), r -> init.apply(b));
            float[] cf = new float[runs];
            for (int r = 0; r < runs; r++) cf[r] = (float) c[r];
            NDArray cv = base.create(cf, new Shape(runs, 1));
            for (int s = 0; s < steps; s++) {
                try (Step step = Step.open(ps.manager(), ps.arrays(), opt.state())) {
                    if (s == 0) opt.freeze(2);
                    try (var gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        gc.backward(ps.get("w").square().mul(cv).div(2).sum().add(ps.get("u").square().mul(cv).div(2).sum()));
                    }
                    norms = opt.step(ps, step.manager());
                }
            }
            wOut = ps.get("w").toFloatArray();
            uOut = ps.get("u").toFloatArray();
            opt.close();
        }
        float[] w0 = init.apply(a), u0 = init.apply(b);
        for (int r = 0; r < runs; r++) {
            double[] p = new double[a + b], m = new double[a + b], v = new double[a + b];
            for (int i = 0; i < a; i++) p[i] = w0[i];
            for (int i = 0; i < b; i++) p[a + i] = u0[i];
            if (r != 2)
                for (int t = 1; t <= steps; t++) {
                    double sq = 0;
                    for (double x : p) sq += (c[r] * x) * (c[r] * x);
                    if (t == steps) assertEquals(Math.sqrt(sq), norms[r], 1e-4 * Math.sqrt(sq), "run " + r + ": the reported norm, before clipping");
                    double k = Double.isInfinite(clip[r]) ? 1 : Math.min(1, clip[r] / (Math.sqrt(sq) + 1e-6));
                    for (int i = 0; i < p.length; i++) {
                        double g = k * c[r] * p[i];
                        m[i] = 0.9 * m[i] + 0.1 * g;
                        v[i] = 0.999 * v[i] + 0.001 * g * g;
                        p[i] -= lr[r] / (1 - Math.pow(0.9, t)) * m[i] / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8);
                    }
                }
            for (int i = 0; i < a + b; i += 997) {
                float got = i < a ? wOut[r * a + i] : uOut[r * b + i - a];
                assertEquals(p[i], got, 1e-5 * Math.max(1, Math.abs(p[i])), "run " + r + ", value " + i);
            }
            float lastW = wOut[r * a + a - 1], lastU = uOut[r * b + b - 1];
            assertEquals(p[a - 1], lastW, 1e-5, "run " + r + ", last of w");
            assertEquals(p[a + b - 1], lastU, 1e-5, "run " + r + ", last of u");
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
