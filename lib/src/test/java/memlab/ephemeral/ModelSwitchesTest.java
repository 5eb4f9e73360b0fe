package memlab.ephemeral;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The switches between the paper's text and its authors' code: initialisation and hidden activation. */
class ModelSwitchesTest {
    static final int V = 5, H = 12;
    static final RunConfig RUN = new RunConfig(4, 0.02, 40, 0.3, 0.7, Double.POSITIVE_INFINITY);

    @Test
    void defaultsAreTheText() {
        ModelConfig c = ModelConfig.ephemeral(8, 2);
        assertEquals(HiddenActivation.RELU, c.activation());
        assertEquals(c, new ModelConfig(8, 2, false, Updater.DFA, true, DecayTarget.VALUE, HiddenActivation.RELU));
        assertEquals(Initialisation.UNIFORM, RunConfig.ephemeral(1, 1e-4, 1e4, 0.1, 0.7).init());
        assertEquals(Initialisation.UNIFORM, RunConfig.baseline(1, 1e-3).init());
    }

    @Test
    void namesAreCheckedWithTheAllowedValues() {
        assertEquals(Initialisation.ZERO_WEIGHTS, Initialisation.named("Zero_Weights"));
        assertEquals(HiddenActivation.GELU, HiddenActivation.named("gelu"));
        assertEquals(HiddenActivation.GELU, ModelConfig.ephemeral(8, 2).withActivation("GELU").activation());
        IllegalArgumentException init = assertThrows(IllegalArgumentException.class, () -> RUN.withInit("xavier"));
        assertEquals("init must be one of [uniform, zero_weights], got 'xavier'", init.getMessage());
        IllegalArgumentException act = assertThrows(IllegalArgumentException.class, () -> HiddenActivation.named("tanh"));
        assertEquals("activation must be one of [relu, gelu], got 'tanh'", act.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Initialisation.named(null)).getMessage().startsWith("init must be one of"));
        IllegalArgumentException nullInit = assertThrows(IllegalArgumentException.class,
                () -> new RunConfig(1, 1e-4, 1e4, 0.1, 0.7, 1, null));
        assertTrue(nullInit.getMessage().startsWith("init must be one of"), nullInit.getMessage());
        IllegalArgumentException nullAct = assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig(8, 2, false, Updater.DFA, true, DecayTarget.VALUE, null));
        assertTrue(nullAct.getMessage().startsWith("activation must be one of"), nullAct.getMessage());
    }

    private static void assertAllZero(float[] w, String what) {
        for (int k = 0; k < w.length; k++)
            if (Float.floatToRawIntBits(w[k]) != 0) throw new AssertionError(what + "[" + k + "] = " + w[k] + ", expected exactly +0");
    }

    /**
     * The authors' zero start: W_xh, W_hh and W_hy exactly 0; the biases the same draws as the
     * uniform start; the starting ephemeral values (no reset, decay of the value: E = M ⊙ S) zero on
     * the weight rows and M ⊙ b_h on the bias row.
     */
    @Test
    void zeroWeightsStartsTheWeightMatricesAtZeroAndKeepsTheBiases() {
        ModelConfig cfg = new ModelConfig(H, 2, true, Updater.BACKPROP, false, DecayTarget.VALUE);
        try (NDManager m = NDManager.newBaseManager();
             EphemeralNet zero = new EphemeralNet(m, cfg, List.of(RUN.withInit(Initialisation.ZERO_WEIGHTS)), V);
             EphemeralNet drawn = new EphemeralNet(m, cfg, List.of(RUN), V)) {
            for (String w : List.of("input.weight", "recurrent.weight", "output.weight")) {
                assertAllZero(zero.params().get(w).toFloatArray(), w);
                double max = 0;
                for (float x : drawn.params().get(w).toFloatArray()) max = Math.max(max, Math.abs(x));
                assertTrue(max > 0, "the uniform start draws " + w);
            }
            for (String b : List.of("input.bias", "output.bias"))
                assertArrayEquals(drawn.params().get(b).toFloatArray(), zero.params().get(b).toFloatArray(), b + ": the same draws");
            float[] e = zero.ephemeralInput(), mask = zero.inputMask(), bias = zero.params().get("input.bias").toFloatArray();
            for (int b = 0; b < 2; b++) {
                int at = b * (V + 1) * H;
                assertAllZero(java.util.Arrays.copyOfRange(e, at, at + V * H), "ephemeral input weights of sequence " + b);
                for (int j = 0; j < H; j++) assertEquals(mask[V * H + j] * bias[j], e[at + V * H + j], 0, "ephemeral bias " + j);
            }
            assertAllZero(zero.ephemeralRecurrent(), "ephemeral recurrent weights");
        }
    }

    /** GELU's value and derivative against a·Φ(a) (erf by its series) and central finite differences of it. */
    @Test
    void geluAgainstItsDefinition() {
        float[] a = {-3.5f, -2f, -0.7f, -1e-3f, 0f, 1e-3f, 0.4f, 1.3f, 3f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(a, new Shape(a.length));
            HiddenActivation.Applied f = HiddenActivation.GELU.apply(x);
            float[] h = f.h().toFloatArray(), d = f.derivative().toFloatArray();
            for (int k = 0; k < a.length; k++) {
                assertEquals(GradientFormulaTest.gelu(a[k]), h[k], 2e-6, "gelu(" + a[k] + ")");
                assertEquals(GradientFormulaTest.derivative(HiddenActivation.GELU, a[k]), d[k], 2e-6, "gelu'(" + a[k] + ")");
            }
            HiddenActivation.Applied r = HiddenActivation.RELU.apply(x);
            float[] rh = r.h().toFloatArray(), rd = r.derivative().toFloatArray();
            for (int k = 0; k < a.length; k++) {
                assertEquals(Math.max(0, a[k]), rh[k], 0);
                assertEquals(a[k] > 0 ? 1 : 0, rd[k], 0, "relu'(" + a[k] + ")");
            }
        }
    }

    /**
     * In a batched model, only the runs that start from zero do: the uniform runs beside them keep
     * their draws, and each run's slice is as in a model of that run alone.
     */
    @Test
    void zeroStartIsPerRun() {
        ModelConfig cfg = ModelConfig.rnn(H, 1);
        List<RunConfig> runs = List.of(RUN, RUN.withSeed(5).withInit(Initialisation.ZERO_WEIGHTS), RUN.withSeed(6));
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet both = new EphemeralNet(m, cfg, runs, V)) {
            for (String w : List.of("input.weight", "recurrent.weight", "output.weight", "input.bias", "output.bias")) {
                float[] all = both.params().get(w).toFloatArray();
                int per = all.length / runs.size();
                for (int r = 0; r < runs.size(); r++)
                    try (EphemeralNet alone = new EphemeralNet(m, cfg, List.of(runs.get(r)), V)) {
                        assertArrayEquals(alone.params().get(w).toFloatArray(), java.util.Arrays.copyOfRange(all, r * per, (r + 1) * per), w + " of run " + r);
                    }
            }
            assertAllZero(java.util.Arrays.copyOfRange(both.params().get("output.weight").toFloatArray(), H * V, 2 * H * V), "run 1's output.weight");
        }
    }

    /** The zero start still learns: a few DFA steps move every weight matrix off 0 (finite values). */
    @Test
    void zeroWeightsLearnsUnderDfa() {
        ModelConfig cfg = ModelConfig.ephemeral(H, 1).withActivation(HiddenActivation.GELU);
        try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, List.of(RUN.withInit(Initialisation.ZERO_WEIGHTS)), V)) {
            for (int s = 0; s < 3; s++) net.step(Fixtures.single(new int[]{0, 3, 1}, new int[]{3, 1, 4}), true);
            for (String w : List.of("input.weight", "output.weight")) {
                double max = 0;
                for (float x : net.params().get(w).toFloatArray()) {
                    assertTrue(Float.isFinite(x), w);
                    max = Math.max(max, Math.abs(x));
                }
                assertTrue(max > 1e-6, w + " moved off 0");
            }
        }
    }
}
