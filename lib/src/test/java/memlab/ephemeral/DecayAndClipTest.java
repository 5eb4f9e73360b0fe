package memlab.ephemeral;

import ai.djl.ndarray.NDManager;
import memlab.tasks.chars.CharBatch;
import memlab.tasks.chars.KeyRecall;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Forget rate and weight clipping do what {@link RunConfig} and {@link DecayTarget} say. */
class DecayAndClipTest {
    /** With (negligibly) small updates, VALUE decay multiplies every ephemeral weight by γ per real character, padding excluded. */
    @Test
    void valueDecaysByGammaPerCharacter() {
        double gamma = 0.8;
        RunConfig run = new RunConfig(5, 1e-12, 1, 0.3, gamma, Double.POSITIVE_INFINITY);
        ModelConfig cfg = new ModelConfig(8, 2, false, Updater.DFA, false, DecayTarget.VALUE);
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, List.of(run), 4)) {
            float[] e0 = net.ephemeralInput(), mask = net.inputMask();
            int per = 5 * 8;
            for (int k = 0; k < per; k++) assertEquals(mask[k] > 0 ? net.params().get("input.weight").concat(net.params().get("input.bias"), 1).toFloatArray()[k] : 0f, e0[k], 1e-7, "initial E = M ⊙ W_init");
            // sequence 0: 3 real predictions; sequence 1: 1 real prediction + 2 padding
            CharBatch data = new CharBatch(1, 2, 3, new int[]{0, 1, 2, 3, 0, 0}, new int[]{1, 2, 3, 0, 0, 0},
                    new boolean[]{true, true, true, true, false, false}, new boolean[6], List.of());
            net.step(data, true);
            float[] e1 = net.ephemeralInput();
            for (int k = 0; k < per; k++) {
                assertEquals(e0[k] * Math.pow(gamma, 3), e1[k], 1e-6, "sequence 0, entry " + k);
                assertEquals(e0[per + k] * gamma, e1[per + k], 1e-6, "sequence 1, entry " + k);
            }
        }
    }

    /**
     * Reset at sequence start: E starts from 0 in every sequence, for both decay targets; the slow
     * weights S keep their value. Step 1 reads characters 0, 1, step 2 characters 2, 3: after step 2
     * the rows of characters 0 and 1 must be exactly 0 (without the reset they would still hold γ²
     * times their step-1 value), and their slow rows are untouched by step 2 (no gradient reaches them).
     */
    @Test
    void resetWipesEphemeralWeights() {
        RunConfig run = RunConfig.ephemeral(5, 1e-2, 100, 0.3, 0.5);
        int h = 8;
        for (DecayTarget target : DecayTarget.values())
            for (boolean reset : new boolean[]{true, false}) {
                ModelConfig cfg = new ModelConfig(h, 1, false, Updater.DFA, reset, target);
                try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, List.of(run), 4)) {
                    net.step(Fixtures.single(new int[]{0, 1}, new int[]{1, 2}), true);
                    float[] e1 = net.ephemeralInput(), s1 = net.params().get("input.weight").toFloatArray();
                    double seen = maxAbs(e1, 0, 2 * h);
                    assertTrue(seen > 1e-3, target + ": step 1 wrote nothing to rows 0, 1 (" + seen + ")");
                    net.step(Fixtures.single(new int[]{2, 3}, new int[]{3, 0}), true);
                    float[] e2 = net.ephemeralInput(), s2 = net.params().get("input.weight").toFloatArray();
                    if (reset) assertEquals(0, maxAbs(e2, 0, 2 * h), 0, target + ": rows 0, 1 after the reset");
                    else assertEquals(seen * 0.5 * 0.5, maxAbs(e2, 0, 2 * h), 1e-6, target + ": without reset, rows 0, 1 only decay (γ² = 0.25)");
                    assertArrayEquals(Fixtures.slice(s1, 0, 2 * h), Fixtures.slice(s2, 0, 2 * h), 0f, target + ": slow rows 0, 1 keep their value");
                }
            }
    }

    private static double maxAbs(float[] a, int from, int len) {
        double m = 0;
        for (int k = from; k < from + len; k++) m = Math.max(m, Math.abs(a[k]));
        return m;
    }

    /** Clipping bounds every weight, slow and ephemeral, by the threshold; and is active. */
    @Test
    void clippingBoundsEveryWeight() {
        double c = 0.05;
        for (DecayTarget target : DecayTarget.values())
            for (Updater u : Updater.values()) {
                RunConfig run = new RunConfig(9, 0.5, 1000, 0.4, 0.9, c);
                ModelConfig cfg = new ModelConfig(8, 2, true, u, false, target);
                try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, List.of(run), 8)) {
                    KeyRecall task = KeyRecall.paper();
                    for (int s = 0; s < 3; s++) net.step(CharBatch.draw(task, new long[]{9}, 2, "train", s), true);
                    float[] sIn = net.params().get("input.weight").concat(net.params().get("input.bias"), 1).toFloatArray();
                    float[] sRec = net.params().get("recurrent.weight").toFloatArray();
                    float[] mIn = net.inputMask(), mRec = net.recurrentMask();
                    float[] eIn = net.ephemeralInput(), eRec = net.ephemeralRecurrent();
                    double max = 0;
                    for (float w : net.params().get("output.weight").toFloatArray()) max = Math.max(max, Math.abs(w));
                    for (int b = 0; b < 2; b++) {
                        max = Math.max(max, maxEffective(sIn, mIn, eIn, b, target));
                        max = Math.max(max, maxEffective(sRec, mRec, eRec, b, target));
                    }
                    assertTrue(max <= c * (1 + 1e-5), target + "/" + u + ": max |w| = " + max);
                    assertTrue(max >= c * (1 - 1e-5), target + "/" + u + ": clipping never active, max |w| = " + max);
                }
            }
    }

    /**
     * Per-character clipping, against an independent computation, after every character, for both
     * decay targets and both ways {@link EphemeralNet} reads and writes E (one-hot products, gathered
     * rows). Reference, per character t (Backprop, gradients g_t by autograd on the effective weights):
     * <pre>
     *   E ← γ · clamp(E − lr·α·M ⊙ g_t, lo, hi)    VALUE: [lo, hi] = [−c, c];  DEVIATION: [−c − S, c − S]
     * </pre>
     * (clipped before the decay, so the effective weight S + γE stays inside [−c, c] too), and after the
     * sequence {@code S ← clamp(S − lr Σ_t g_t, −c, c)}, then for DEVIATION E clamped again against the new S.
     * The state after character t is that of a fresh net after a step over the first t characters.
     * A bound with the wrong sign changes later characters' outputs and the clamped values themselves.
     */
    @Test
    void clippingAfterEveryCharacterMatchesReference() {
        long saved = EphemeralNet.denseAccessLimit;
        try {
            for (long limit : new long[]{saved, 0}) {   // one-hot products, then gathered rows
                EphemeralNet.denseAccessLimit = limit;
                for (DecayTarget target : DecayTarget.values()) clipReference(target, limit == 0 ? "rows" : "one-hot");
            }
        } finally {
            EphemeralNet.denseAccessLimit = saved;
        }
    }

    private static void clipReference(DecayTarget target, String path) {
        int[] in = GradientFormulaTest.IN, out = GradientFormulaTest.OUT;
        double c = 0.25, lr = 0.05, alpha = 100, gamma = 0.8;
        RunConfig run = new RunConfig(7, lr, alpha, 0.3, gamma, c);
        ModelConfig cfg = new ModelConfig(GradientFormulaTest.H, 1, true, Updater.BACKPROP, false, target);
        int v = GradientFormulaTest.V;
        boolean deviation = target == DecayTarget.DEVIATION;
        int[] clamped = new int[2];   // entries the reference's clamp moved: at the lower bound, at the upper bound
        try (NDManager m = NDManager.newBaseManager()) {
            AutogradReference ref;
            try (EphemeralNet fresh = new EphemeralNet(m, cfg, List.of(run), v)) {
                ref = new AutogradReference(fresh);
            }
            float[][] slowSum = null;
            float[] hPrev = null;
            for (int t = 0; t < in.length; t++) {
                float[][] g;
                try (NDManager tmp = m.newSubManager()) {
                    g = ref.gradients(tmp, new int[]{in[t]}, new int[]{out[t]}, hPrev, false);
                    hPrev = ref.hidden;
                }
                if (slowSum == null) slowSum = g;
                else for (int k = 0; k < 4; k++) AutogradReference.add(slowSum[k], g[k]);
                clippedUpdate(ref.eIn, ref.maskIn, g[0], ref.slowIn, lr * alpha, gamma, c, deviation, clamped);
                clippedUpdate(ref.eRec, ref.maskRec, g[1], ref.slowRec, lr * alpha, gamma, c, deviation, clamped);

                // the reference state after the step over characters 0..t
                float[] sIn = clamp(AutogradReference.slowUpdate(ref.slowIn, slowSum[0], lr), c);
                float[] sRec = clamp(AutogradReference.slowUpdate(ref.slowRec, slowSum[1], lr), c);
                float[] eIn = ref.eIn.clone(), eRec = ref.eRec.clone();
                if (deviation) {
                    clampDeviation(eIn, sIn, c);
                    clampDeviation(eRec, sRec, c);
                }
                try (EphemeralNet net = new EphemeralNet(m, cfg, List.of(run), v)) {
                    net.step(Fixtures.single(java.util.Arrays.copyOf(in, t + 1), java.util.Arrays.copyOf(out, t + 1)), true);
                    String what = target + ", " + path + ", after character " + t + ": ";
                    Fixtures.assertClose(eIn, net.ephemeralInput(), 1e-4, what + "ephemeral input weights");
                    Fixtures.assertClose(eRec, net.ephemeralRecurrent(), 1e-4, what + "ephemeral recurrent weights");
                    Fixtures.assertClose(Fixtures.slice(sIn, 0, v * GradientFormulaTest.H), net.params().get("input.weight").toFloatArray(), 1e-5, what + "input.weight");
                    Fixtures.assertClose(Fixtures.slice(sIn, v * GradientFormulaTest.H, GradientFormulaTest.H), net.params().get("input.bias").toFloatArray(), 1e-5, what + "input.bias");
                    Fixtures.assertClose(sRec, net.params().get("recurrent.weight").toFloatArray(), 1e-5, what + "recurrent.weight");
                    Fixtures.assertClose(clamp(AutogradReference.slowUpdate(ref.wout, slowSum[2], lr), c), net.params().get("output.weight").toFloatArray(), 1e-5, what + "output.weight");
                }
            }
        }
        // not vacuous: the clip was active at both bounds, mid-sequence
        assertTrue(clamped[0] > 0 && clamped[1] > 0, target + ": clamped at the lower/upper bound " + clamped[0] + "/" + clamped[1] + " times");
    }

    /** {@code E ← γ · clamp(E − rate·M ⊙ g, lo, hi)}, counting the entries the clamp moved. */
    private static void clippedUpdate(float[] e, float[] mask, float[] g, float[] slow, double rate, double gamma, double c,
                                      boolean deviation, int[] clamped) {
        for (int k = 0; k < e.length; k++) {
            double next = e[k] - rate * mask[k] * g[k];
            double lo = deviation ? -c - slow[k] : -c, hi = deviation ? c - slow[k] : c;
            if (next < lo - 1e-3 && (!deviation || Math.abs(slow[k]) > 0.05)) clamped[0]++;
            if (next > hi + 1e-3 && (!deviation || Math.abs(slow[k]) > 0.05)) clamped[1]++;
            e[k] = (float) (gamma * Math.min(hi, Math.max(lo, next)));
        }
    }

    private static float[] clamp(float[] w, double c) {
        float[] out = new float[w.length];
        for (int k = 0; k < w.length; k++) out[k] = (float) Math.min(c, Math.max(-c, w[k]));
        return out;
    }

    /** DEVIATION after the slow update: S + E back inside [−c, c]. */
    private static void clampDeviation(float[] e, float[] slow, double c) {
        for (int k = 0; k < e.length; k++) e[k] = (float) Math.min(c - slow[k], Math.max(-c - slow[k], e[k]));
    }

    private static double maxEffective(float[] slow, float[] mask, float[] e, int b, DecayTarget target) {
        double max = 0;
        int n = slow.length;
        for (int k = 0; k < n; k++) {
            double w = (target == DecayTarget.VALUE ? slow[k] * (1 - mask[k]) : slow[k]) + e[b * n + k];
            max = Math.max(max, Math.abs(w));
        }
        return max;
    }

    @Test
    void argumentsAreChecked() {
        var ex = assertThrows(IllegalArgumentException.class, () -> RunConfig.ephemeral(0, 1e-4, 1e4, 0.1, 0));
        assertTrue(ex.getMessage().contains("forgetRate"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> RunConfig.ephemeral(0, 1e-4, 0.5, 0.1, 0.7));
        assertTrue(ex.getMessage().contains("plasticity"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> RunConfig.ephemeral(0, 1e-4, 1e4, 1.5, 0.7));
        assertTrue(ex.getMessage().contains("fraction"), ex.getMessage());
        assertEquals(0.7, RunConfig.gammaFromAuthorsRate(0.3), 1e-12);
    }
}
