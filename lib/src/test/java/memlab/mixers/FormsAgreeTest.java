package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.train.ParamSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Each mixer's fast form against its step-by-step definition: outputs and every gradient. */
class FormsAgreeTest {
    /** T = 11 with chunks of 4: three chunks, the last one padded. */
    @ParameterizedTest
    @ValueSource(strings = {"attention", "window", "linear", "delta", "gated"})
    void fastFormMatchesRecurrenceForwardAndGradients(String kind) {
        formsAgree(kind, 4, 11);
    }

    /**
     * Sequences that fit in one chunk (T = 11, chunks of 64: every MQAR task with T ≤ 64) and a single
     * position: the forms join one piece along time, which must not cut the graph (a detached join
     * once left DeltaNet's q, k, v and β with exactly zero gradient). Every gradient must also be nonzero.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"attention, 11", "linear, 11", "delta, 11", "gated, 11",
            "attention, 1", "linear, 1", "delta, 1", "gated, 1"})
    void oneChunkOrOnePositionKeepsEveryGradient(String kind, int len) {
        Map<String, float[]> g = formsAgree(kind, 64, len);
        if (len == 1 && !kind.contains("delta") && !kind.equals("gated")) return;   // (linear) attention of one key is v: q, k get no gradient
        for (var e : g.entrySet()) {
            if (len == 1 && e.getKey().contains(".alpha")) continue;   // α scales the empty initial state: no effect at T = 1
            assertTrue(java.util.Arrays.stream(toDouble(e.getValue())).anyMatch(z -> z != 0),
                    kind + " T " + len + ": " + e.getKey() + " has zero gradient");
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** Fast against recurrent form at chunk {@code chunk} and length {@code len}; returns the fast form's gradients. */
    private static Map<String, float[]> formsAgree(String kind, int chunk, int len) {
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 2)) {
            Mixer mixer = Mixers.make(kind, ps, 8, 2, chunk, new long[]{1, 2});
            NDArray x = Mixers.normal(ps.manager(), 7, "x", 2, 3, len, 8);
            NDArray probe = Mixers.normal(ps.manager(), 8, "probe", 2, 3, len, 8);
            x.setRequiresGradient(true);
            Map<String, float[]> fast = Mixers.gradients(ps, m -> mixer.forward(x, Mixer.Form.FAST).mul(probe).sum());
            float[] dxFast = x.getGradient().toFloatArray();
            x.getGradient().muli(0);
            Map<String, float[]> slow = Mixers.gradients(ps, m -> mixer.forward(x, Mixer.Form.RECURRENT).mul(probe).sum());
            float[] dxSlow = x.getGradient().toFloatArray();
            for (String name : slow.keySet())
                assertTrue(Mixers.relErr(fast.get(name), slow.get(name)) < 2e-5,
                        kind + " " + name + ": fast vs recurrent differ by " + Mixers.relErr(fast.get(name), slow.get(name)));
            assertTrue(Mixers.relErr(dxFast, dxSlow) < 2e-5, kind + " dL/dx differs by " + Mixers.relErr(dxFast, dxSlow));
            return fast;
        }
    }

    /** The delta rule's forms on raw inputs with strong, uneven decays (α down to e⁻⁸ per step) and β near 0 and 1. */
    @Test
    void chunkedDeltaRuleHoldsUnderStrongDecay() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 3, len = 13, d = 4;
            NDArray q = Mixers.normal(m, 1, "q", n, len, d), k = DeltaNet.l2Normalise(Mixers.normal(m, 1, "k", n, len, d));
            NDArray v = Mixers.normal(m, 1, "v", n, len, d);
            NDArray beta = ai.djl.nn.Activation.sigmoid(Mixers.normal(m, 1, "b", n, len).mul(4));
            NDArray logAlpha = Mixers.normal(m, 1, "a", n, len).abs().mul(-3);
            for (NDArray a : new NDArray[]{null, logAlpha})
                for (int chunk : new int[]{1, 4, 5, 13, 64}) {
                    float[] slow = DeltaRule.recurrent(q, k, v, beta, a).toFloatArray();
                    float[] fast = DeltaRule.chunked(q, k, v, beta, a, chunk).toFloatArray();
                    assertTrue(Mixers.relErr(fast, slow) < 1e-5, "chunk " + chunk + (a == null ? " ungated" : " gated") + ": " + Mixers.relErr(fast, slow));
                }
        }
    }
}
