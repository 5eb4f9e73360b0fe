package memlab.dnc;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import memlab.ntm.Controller;
import memlab.ntm.Golden;
import memlab.tasks.BitCopyTask;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The DNC against {@code reference/dnc_reference.py}: the same weights and input in float64 give the
 * same usage, write and read weightings, read modes, final link matrix and memory, logits, cost and
 * parameter gradients as an independent PyTorch implementation of the paper's equations (allocation
 * by a stable sort and a running product, links entry by entry). The usage of the first two steps
 * has ties (all zero, then four equal slots), so the tie rule is checked too.
 */
class DncReferenceTest {
    static final double TOL = 1e-9;

    /** Case a: LSTM, 2 read heads, 5 slots × 3. Case b: feed-forward, 1 read head, 4 slots × 2. */
    static DncConfig config(String c) {
        return c.equals("a") ? new DncConfig(4, 3, Controller.LSTM, 5, 5, 3, 2)
                : new DncConfig(3, 2, Controller.FEEDFORWARD, 4, 4, 2, 1);
    }

    @Test
    void caseALstmTwoReadHeadsMatchesTorch() throws Exception {
        check("a");
    }

    @Test
    void caseBFeedForwardOneReadHeadMatchesTorch() throws Exception {
        check("b");
    }

    static void check(String c) throws Exception {
        Golden g = Golden.load("/fixtures/dnc_tiny.txt");
        String p = c + ".";
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, 1)) {
            Dnc dnc = new Dnc(params, config(c), new long[]{0});
            Map<String, NDArray> w = new LinkedHashMap<>();
            for (String name : params.all().keySet()) {
                assertArrayEquals(params.get(name).getShape().getShape(), g.shape(p + name), "shape of " + name);
                NDArray a = m.create(g.get(p + name), new Shape(g.shape(p + name)));
                a.setRequiresGradient(true);
                w.put(name, a);
            }
            NDArray x = arr(m, g, p + "x").expandDims(0), y = arr(m, g, p + "y").expandDims(0), mask = arr(m, g, p + "mask").expandDims(0);
            BitCopyTask.Batch batch = new BitCopyTask.Batch(x, y, mask, new int[]{0});
            Dnc.Pass pass;
            NDArray cost;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                pass = dnc.forward(w, x);
                cost = BitCopyTask.costBits(pass.logits(), batch);
                gc.backward(cost.sum());
            }
            close(g.get(p + "usage"), pass.usage(), "usage");
            close(g.get(p + "write_weights"), pass.writeWeights(), "write weights");
            close(g.get(p + "read_weights"), pass.readWeights(), "read weights");
            close(g.get(p + "read_modes"), pass.readModes(), "read modes");
            close(g.get(p + "links"), pass.links(), "link matrix");
            close(g.get(p + "memory"), pass.memory(), "final memory");
            close(g.get(p + "logits"), pass.logits(), "logits");
            close(g.get(p + "cost"), cost, "cost (bits per sequence)");
            for (Map.Entry<String, NDArray> e : w.entrySet())
                close(g.get(p + "grad." + e.getKey()), e.getValue().getGradient(), "gradient of " + e.getKey());
        }
    }

    static NDArray arr(NDManager m, Golden g, String name) {
        return m.create(g.get(name), new Shape(g.shape(name)));
    }

    static void close(double[] want, NDArray got, String what) {
        double[] v = got.toDoubleArray();
        assertEquals(want.length, v.length, what + ": size");
        for (int i = 0; i < v.length; i++)
            assertEquals(want[i], v[i], TOL * (1 + Math.abs(want[i])), what + " [" + i + "]");
    }
}
