package memlab.dnc;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import memlab.ntm.Controller;
import memlab.ntm.Golden;
import memlab.tasks.BitCopyTask;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

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
            Map<String, NDArray> w = g.weights(m, params, p);
            BitCopyTask.Batch batch = g.copyBatch(m, p);
            NDArray x = batch.inputs();
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

    static void close(double[] want, NDArray got, String what) {
        Golden.close(want, got, TOL, what);
    }
}
