package memlab.ephemeral;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;

import static memlab.ephemeral.Fixtures.assertClose;
import static memlab.ephemeral.Fixtures.slice;

/** The explicit batched update formulas against DJL autograd and against plain Java loops. */
class GradientFormulaTest {
    static final int V = 4, H = 16;
    static final int[] IN = {0, 2, 1, 3, 2}, OUT = {2, 1, 3, 2, 0};
    static final RunConfig RUN = new RunConfig(7, 0.02, 40, 0.3, 0.7, Double.POSITIVE_INFINITY);

    /**
     * Walks {@code IN → OUT} one character at a time with autograd on the reference net, applying
     * each character's ephemeral update (Eq. 5–6) before the next, and hands every character's
     * gradients {input, recurrent, output weight, output bias} to {@code onCharacter}.
     */
    static void perCharacterAutograd(NDManager m, AutogradReference ref, boolean recurrence, java.util.function.Consumer<float[][]> onCharacter) {
        float[] hPrev = null;
        for (int t = 0; t < IN.length; t++) {
            float[][] g;
            try (NDManager tmp = m.newSubManager()) {
                g = ref.gradients(tmp, new int[]{IN[t]}, new int[]{OUT[t]}, hPrev, false);
                hPrev = ref.hidden;
            }
            onCharacter.accept(g);
            AutogradReference.ephemeralUpdate(ref.eIn, ref.maskIn, g[0], RUN.lr(), RUN.plasticity(), RUN.forgetRate());
            if (recurrence) AutogradReference.ephemeralUpdate(ref.eRec, ref.maskRec, g[1], RUN.lr(), RUN.plasticity(), RUN.forgetRate());
        }
    }

    /** Per-character Backprop: every character's ephemeral update and the summed slow update equal autograd's. */
    void backpropMatchesAutograd(boolean recurrence, DecayTarget target) {
        backpropMatchesAutograd(new ModelConfig(H, 1, recurrence, Updater.BACKPROP, false, target));
    }

    void backpropMatchesAutograd(ModelConfig cfg) {
        boolean recurrence = cfg.recurrence();
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, List.of(RUN), V)) {
            AutogradReference ref = new AutogradReference(net);
            float[] e0 = ref.eIn.clone();
            float[][][] slowSum = {null};
            perCharacterAutograd(m, ref, recurrence, g -> {
                if (slowSum[0] == null) slowSum[0] = g;
                else for (int k = 0; k < 4; k++) if (g[k] != null) AutogradReference.add(slowSum[0][k], g[k]);
            });
            net.step(Fixtures.single(IN, OUT), true);
            double moved = 0;
            for (int k = 0; k < e0.length; k++) moved = Math.max(moved, Math.abs(ref.eIn[k] - RUN.forgetRate() * e0[k]));
            if (moved < 1e-2) throw new AssertionError("test is vacuous: ephemeral updates too small (" + moved + ")");
            assertClose(ref.eIn, net.ephemeralInput(), 1e-4, "ephemeral input weights");
            if (recurrence) assertClose(ref.eRec, net.ephemeralRecurrent(), 1e-4, "ephemeral recurrent weights");
            float[] slowIn = AutogradReference.slowUpdate(ref.slowIn, slowSum[0][0], RUN.lr());
            assertClose(slice(slowIn, 0, V * H), net.params().get("input.weight").toFloatArray(), 1e-5, "input.weight");
            assertClose(slice(slowIn, V * H, H), net.params().get("input.bias").toFloatArray(), 1e-5, "input.bias");
            assertClose(AutogradReference.slowUpdate(ref.wout, slowSum[0][2], RUN.lr()), net.params().get("output.weight").toFloatArray(), 1e-5, "output.weight");
            assertClose(AutogradReference.slowUpdate(ref.bout, slowSum[0][3], RUN.lr()), net.params().get("output.bias").toFloatArray(), 1e-5, "output.bias");
            if (recurrence)
                assertClose(AutogradReference.slowUpdate(ref.slowRec, slowSum[0][1], RUN.lr()), net.params().get("recurrent.weight").toFloatArray(), 1e-5, "recurrent.weight");
        }
    }

    @Test
    void backpropEphemeralMatchesAutograd() { backpropMatchesAutograd(false, DecayTarget.VALUE); }

    @Test
    void backpropRecurrentMatchesAutograd() { backpropMatchesAutograd(true, DecayTarget.VALUE); }

    @Test
    void backpropDeviationMatchesAutograd() { backpropMatchesAutograd(true, DecayTarget.DEVIATION); }

    /** GELU (the authors' code): the explicit f'(a) = Φ(a) + a φ(a) against autograd through DJL's gelu. */
    @Test
    void backpropGeluMatchesAutograd() {
        backpropMatchesAutograd(new ModelConfig(H, 1, false, Updater.BACKPROP, false, DecayTarget.VALUE).withActivation(HiddenActivation.GELU));
    }

    @Test
    void backpropGeluRecurrentDeviationMatchesAutograd() {
        backpropMatchesAutograd(new ModelConfig(H, 1, true, Updater.BACKPROP, false, DecayTarget.DEVIATION).withActivation(HiddenActivation.GELU));
    }

    /** BPTT: one update at the sequence end with the gradient of Σ_t L_t through time. */
    void bpttMatchesAutograd(boolean recurrence) {
        bpttMatchesAutograd(new ModelConfig(H, 1, recurrence, Updater.BPTT, false, DecayTarget.VALUE));
    }

    void bpttMatchesAutograd(ModelConfig cfg) {
        boolean recurrence = cfg.recurrence();
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, List.of(RUN), V)) {
            AutogradReference ref = new AutogradReference(net);
            float[][] g;
            try (NDManager tmp = m.newSubManager()) {
                g = ref.gradients(tmp, IN, OUT, null, true);
            }
            AutogradReference.ephemeralUpdate(ref.eIn, ref.maskIn, g[0], RUN.lr(), RUN.plasticity(), RUN.forgetRate());
            if (recurrence) AutogradReference.ephemeralUpdate(ref.eRec, ref.maskRec, g[1], RUN.lr(), RUN.plasticity(), RUN.forgetRate());
            net.step(Fixtures.single(IN, OUT), true);
            assertClose(ref.eIn, net.ephemeralInput(), 1e-4, "ephemeral input weights");
            if (recurrence) {
                assertClose(ref.eRec, net.ephemeralRecurrent(), 1e-4, "ephemeral recurrent weights");
                assertClose(AutogradReference.slowUpdate(ref.slowRec, g[1], RUN.lr()), net.params().get("recurrent.weight").toFloatArray(), 1e-5, "recurrent.weight");
            }
            float[] slowIn = AutogradReference.slowUpdate(ref.slowIn, g[0], RUN.lr());
            assertClose(slice(slowIn, 0, V * H), net.params().get("input.weight").toFloatArray(), 1e-5, "input.weight");
            assertClose(AutogradReference.slowUpdate(ref.wout, g[2], RUN.lr()), net.params().get("output.weight").toFloatArray(), 1e-5, "output.weight");
        }
    }

    @Test
    void bpttRecurrentMatchesAutograd() { bpttMatchesAutograd(true); }

    @Test
    void bpttWithoutRecurrenceMatchesAutograd() { bpttMatchesAutograd(false); }

    @Test
    void bpttGeluRecurrentMatchesAutograd() {
        bpttMatchesAutograd(new ModelConfig(H, 1, true, Updater.BPTT, false, DecayTarget.VALUE).withActivation(HiddenActivation.GELU));
    }

    /** DFA on a hand-sized net (V = 3, H = 4, one character) against plain double loops. */
    @Test
    void dfaMatchesHandComputation() { dfaMatchesHandComputation(new ModelConfig(4, 1, false, Updater.DFA, false, DecayTarget.VALUE)); }

    /**
     * The same with GELU, computed as a·Φ(a) from a power series of erf, its derivative by central
     * finite differences of that function (not the closed form the model uses).
     */
    @Test
    void dfaGeluMatchesHandComputation() {
        dfaMatchesHandComputation(new ModelConfig(4, 1, false, Updater.DFA, false, DecayTarget.VALUE).withActivation(HiddenActivation.GELU));
    }

    /** GELU from the authors' zero start: the first character sees only the biases. */
    @Test
    void dfaGeluFromZeroWeightsMatchesHandComputation() {
        dfaMatchesHandComputation(new ModelConfig(4, 1, false, Updater.DFA, false, DecayTarget.VALUE).withActivation(HiddenActivation.GELU),
                Initialisation.ZERO_WEIGHTS);
    }

    /** erf by its Maclaurin series, for |x| ≤ 4 (double precision to ~1e-12). */
    static double erf(double x) {
        double sum = 0, term = x;   // term = (−1)^n x^(2n+1) / n!
        for (int n = 0; n < 120; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    static double gelu(double a) { return a * 0.5 * (1 + erf(a / Math.sqrt(2))); }

    static double activation(HiddenActivation f, double a) { return f == HiddenActivation.GELU ? gelu(a) : Math.max(0, a); }

    static double derivative(HiddenActivation f, double a) {
        if (f == HiddenActivation.RELU) return a > 0 ? 1 : 0;
        double eps = 1e-5;
        return (gelu(a + eps) - gelu(a - eps)) / (2 * eps);
    }

    void dfaMatchesHandComputation(ModelConfig cfg) { dfaMatchesHandComputation(cfg, Initialisation.UNIFORM); }

    void dfaMatchesHandComputation(ModelConfig cfg, Initialisation init) {
        int v = 3, h = cfg.hidden(), i = v + 1, in = 1, target = 2;
        double lr = 0.1, alpha = 10, gamma = 0.5;
        RunConfig run = new RunConfig(3, lr, alpha, 0.5, gamma, Double.POSITIVE_INFINITY, init);
        HiddenActivation f = cfg.activation();
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, List.of(run), v)) {
            float[] w = net.params().get("input.weight").toFloatArray(), b = net.params().get("input.bias").toFloatArray();
            float[] wo = net.params().get("output.weight").toFloatArray(), bo = net.params().get("output.bias").toFloatArray();
            float[] mask = net.inputMask(), fb = net.feedbackMatrix(), e0 = net.ephemeralInput();
            double[] u = new double[i];
            u[in] = 1;
            u[v] = 1;
            double[] a = new double[h], hid = new double[h];
            for (int j = 0; j < h; j++) {
                for (int k = 0; k < i; k++) {
                    double slow = k < v ? w[k * h + j] : b[j];
                    a[j] += u[k] * (slow * (1 - mask[k * h + j]) + e0[k * h + j]);
                }
                hid[j] = activation(f, a[j]);
            }
            double[] z = new double[v], p = new double[v], err = new double[v];
            double zmax = -1e300, sum = 0;
            for (int k = 0; k < v; k++) {
                z[k] = bo[k];
                for (int j = 0; j < h; j++) z[k] += hid[j] * wo[j * v + k];
                zmax = Math.max(zmax, z[k]);
            }
            for (int k = 0; k < v; k++) sum += Math.exp(z[k] - zmax);
            for (int k = 0; k < v; k++) {
                p[k] = Math.exp(z[k] - zmax) / sum;
                err[k] = p[k] - (k == target ? 1 : 0);
            }
            double[] delta = new double[h];
            for (int j = 0; j < h; j++) {
                for (int k = 0; k < v; k++) delta[j] += err[k] * fb[k * h + j];
                delta[j] *= derivative(f, a[j]);
            }
            float[] eExp = new float[i * h], wExp = w.clone(), woExp = wo.clone(), boExp = bo.clone();
            for (int k = 0; k < i; k++)
                for (int j = 0; j < h; j++) {
                    double g = u[k] * delta[j];
                    eExp[k * h + j] = (float) (gamma * (e0[k * h + j] - lr * alpha * mask[k * h + j] * g));
                    if (k < v) wExp[k * h + j] -= (float) (lr * g);
                }
            for (int j = 0; j < h; j++)
                for (int k = 0; k < v; k++) woExp[j * v + k] -= (float) (lr * hid[j] * err[k]);
            for (int k = 0; k < v; k++) boExp[k] -= (float) (lr * err[k]);
            boolean anyActive = false;
            for (double d : delta) anyActive |= d != 0;
            if (!anyActive) throw new AssertionError("test is vacuous: no active hidden unit");

            net.step(Fixtures.single(new int[]{in}, new int[]{target}), true);
            assertClose(eExp, net.ephemeralInput(), 1e-5, "ephemeral weights");
            assertClose(wExp, net.params().get("input.weight").toFloatArray(), 1e-5, "input.weight");
            assertClose(woExp, net.params().get("output.weight").toFloatArray(), 1e-5, "output.weight");
            assertClose(boExp, net.params().get("output.bias").toFloatArray(), 1e-5, "output.bias");
        }
    }

    /**
     * The per-step gradient-norm metrics equal the norms of autograd's gradient, split by the
     * plasticity mask: high = ‖M ⊙ g‖ over the plastic entries, low = ‖(1 − M) ⊙ g‖ over the rest,
     * output layer included; averaged over the characters (here: Backprop, each character alone).
     */
    void gradientNormsMatchAutograd(boolean recurrence) {
        ModelConfig cfg = new ModelConfig(H, 1, recurrence, Updater.BACKPROP, false, DecayTarget.VALUE);
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, List.of(RUN), V)) {
            AutogradReference ref = new AutogradReference(net);
            double[] norms = new double[2];   // mean high, mean low
            perCharacterAutograd(m, ref, recurrence, g -> {
                double hi2 = 0, lo2 = 0;
                for (int k = 0; k < g[0].length; k++) {
                    double v = (double) g[0][k] * g[0][k];
                    if (ref.maskIn[k] > 0) hi2 += v; else lo2 += v;
                }
                if (recurrence)
                    for (int k = 0; k < g[1].length; k++) {
                        double v = (double) g[1][k] * g[1][k];
                        if (ref.maskRec[k] > 0) hi2 += v; else lo2 += v;
                    }
                for (int k = 2; k < 4; k++) for (float v : g[k]) lo2 += (double) v * v;
                norms[0] += Math.sqrt(hi2) / IN.length;
                norms[1] += Math.sqrt(lo2) / IN.length;
            });
            double high = norms[0], low = norms[1];
            java.util.Map<String, float[]> metrics = net.step(Fixtures.single(IN, OUT), true);
            org.junit.jupiter.api.Assertions.assertEquals(high, metrics.get(EphemeralNet.GRAD_HIGH)[0], 1e-4 * Math.max(1, high), "grad_norm_high");
            org.junit.jupiter.api.Assertions.assertEquals(low, metrics.get(EphemeralNet.GRAD_LOW)[0], 1e-4 * Math.max(1, low), "grad_norm_low");
        }
    }

    @Test
    void gradientNormsMatchAutogradEphemeral() { gradientNormsMatchAutograd(false); }

    @Test
    void gradientNormsMatchAutogradRecurrent() { gradientNormsMatchAutograd(true); }
}
