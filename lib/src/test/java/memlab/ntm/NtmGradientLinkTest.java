package memlab.ntm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import memlab.tasks.BitCopyTask;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The gradient link on the NTM ({@link NtmConfig#gradientLink()}) against
 * {@code reference/ntm_link_reference.py}, which applies the paper's rule
 * {@code ∇M_t += 1_S ⊗ Σ_k G_t^{(k)}} by running the backward pass by hand, step by step (no
 * zero-in-forward term): same weights and input in float64 give the same gradients with the link
 * off and on, hence the same extra gradient; the forward pass is bit-identical either way.
 */
class NtmGradientLinkTest {
    static final double TOL = 1e-9;

    @Test
    void forwardIsBitIdenticalWithAndWithoutTheLink() {
        NtmConfig off = new NtmConfig(4, 3, Controller.LSTM, 6, 8, 5, 2, 1, 1, true);
        try (NDManager m = NDManager.newBaseManager(); ParamSet pOff = new ParamSet(m, 2); ParamSet pOn = new ParamSet(m, 2)) {
            MemoryInit[] init = {MemoryInit.RANDOM, MemoryInit.LEARNED};
            long[] seeds = {3, 4};
            Ntm plain = new Ntm(pOff, off, init, seeds), linked = new Ntm(pOn, off.withGradientLink(true), init, seeds);
            BitCopyTask task = new BitCopyTask(3, 3, 5, 1);
            BitCopyTask.Batch batch = task.batch(m, seeds, new boolean[]{false, false}, 2);
            Ntm.Pass a = plain.forward(batch.inputs(), false), b = linked.forward(batch.inputs(), false);
            assertArrayEquals(a.logits().toFloatArray(), b.logits().toFloatArray(), 0f, "logits");
            assertArrayEquals(a.reads().toFloatArray(), b.reads().toFloatArray(), 0f, "reads");
            assertArrayEquals(a.memory().toFloatArray(), b.memory().toFloatArray(), 0f, "memory");
            assertArrayEquals(BitCopyTask.costBits(a.logits(), batch).toFloatArray(), BitCopyTask.costBits(b.logits(), batch).toFloatArray(), 0f, "cost");
        }
    }

    @Test
    void caseALstmTwoReadAndWriteHeadsMatchesStepwiseTorch() throws Exception {
        check("a");
    }

    @Test
    void caseBFeedForwardReadsOnlyMatchesStepwiseTorch() throws Exception {
        check("b");
    }

    static void check(String c) throws Exception {
        Golden g = Golden.load("/fixtures/ntm_link_tiny.txt");
        String p = c + ".";
        Map<String, double[]> off = gradients(g, c, false), on = gradients(g, c, true);
        for (String name : off.keySet()) {
            double[] wantOff = g.get(p + "off.grad." + name), wantOn = g.get(p + "on.grad." + name);
            closeArrays(wantOff, off.get(name), "link off: gradient of " + name);
            closeArrays(wantOn, on.get(name), "link on: gradient of " + name);
            closeArrays(minus(wantOn, wantOff), minus(on.get(name), off.get(name)), "extra gradient of the link on " + name);
        }
    }

    /** Every parameter's gradient of the cost, float64, with the fixture's weights and batch. */
    static Map<String, double[]> gradients(Golden g, String c, boolean link) {
        String p = c + ".";
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, 1)) {
            Ntm ntm = new Ntm(params, NtmReferenceTest.config(c).withGradientLink(link), new MemoryInit[]{MemoryInit.LEARNED}, new long[]{0});
            Map<String, NDArray> w = g.weights(m, params, p);
            BitCopyTask.Batch batch = g.copyBatch(m, p);
            NDArray x = batch.inputs();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray cost = BitCopyTask.costBits(ntm.forward(w, x, false).logits(), batch);
                assertEquals(g.get(p + "cost")[0], cost.getDouble(0), TOL, "cost");
                gc.backward(cost.sum());
            }
            Map<String, double[]> grads = new LinkedHashMap<>();
            w.forEach((k, v) -> grads.put(k, v.getGradient().toDoubleArray()));
            return grads;
        }
    }

    static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    static void closeArrays(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what + ": size");
        for (int i = 0; i < got.length; i++)
            assertEquals(want[i], got[i], TOL * (1 + Math.abs(want[i])), what + " [" + i + "]");
    }
}
