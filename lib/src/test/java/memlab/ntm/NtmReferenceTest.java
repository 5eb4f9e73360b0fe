package memlab.ntm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import memlab.tasks.BitCopyTask;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The NTM against {@code reference/ntm_reference.py}: the same weights and input in float64 give
 * the same read and write weightings at every step, logits, final memory, cost and parameter
 * gradients as an independent PyTorch implementation of the paper's equations.
 */
class NtmReferenceTest {
    static final double TOL = 1e-9;

    /** Case a: LSTM, 2 read + 2 write heads, shifts ±1, bypass. Case b: feed-forward, 1 + 1 heads, shifts ±2, reads only. */
    static NtmConfig config(String c) {
        return c.equals("a") ? new NtmConfig(4, 3, Controller.LSTM, 5, 7, 4, 2, 2, 1, true)
                : new NtmConfig(3, 2, Controller.FEEDFORWARD, 4, 6, 3, 1, 1, 2, false);
    }

    @Test
    void caseALstmTwoHeadsEachMatchesTorch() throws Exception {
        check("a");
    }

    @Test
    void caseBFeedForwardReadsOnlyMatchesTorch() throws Exception {
        check("b");
    }

    static void check(String c) throws Exception {
        Golden g = Golden.load("/fixtures/ntm_tiny.txt");
        String p = c + ".";
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, 1)) {
            Ntm ntm = new Ntm(params, config(c), new MemoryInit[]{MemoryInit.LEARNED}, new long[]{0});
            Map<String, NDArray> w = g.weights(m, params, p);
            BitCopyTask.Batch batch = g.copyBatch(m, p);
            NDArray x = batch.inputs();
            Ntm.Pass pass;
            NDArray cost;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                pass = ntm.forward(w, x, false);
                cost = BitCopyTask.costBits(pass.logits(), batch);
                gc.backward(cost.sum());
            }
            close(g.get(p + "read_weights"), pass.readWeights(), "read weights");
            close(g.get(p + "write_weights"), pass.writeWeights(), "write weights");
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
