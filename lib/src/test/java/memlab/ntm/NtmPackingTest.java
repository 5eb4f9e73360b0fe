package memlab.ntm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import memlab.tasks.BitCopyTask;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A packed pass (each run only for its own steps, {@link memlab.train.RunPacking}) against the full
 * padded pass, in float64: on every run's own steps the logits, reads and weightings are the same,
 * past them reads and weightings are zero and the logits the output bias; the gradients of a cost masked to the own steps are the same; and a run's
 * final memory is that of a pass that stops at its own last step.
 */
class NtmPackingTest {
    static final long[] SEEDS = {4, 5, 6, 7};
    static final MemoryInit[] INIT = {MemoryInit.LEARNED, MemoryInit.RANDOM, MemoryInit.CONSTANT, MemoryInit.LEARNED};

    @Test
    void lstmPackedPassIsTheFullPassOnEachRunsOwnSteps() {
        check(new NtmConfig(3, 2, Controller.LSTM, 3, 5, 2, 1, 1, 1, true), new int[]{3, 9, 5, 9});
    }

    @Test
    void feedForwardWithGradientLinkPackedPassIsTheFullPass() {
        check(new NtmConfig(3, 2, Controller.FEEDFORWARD, 3, 6, 2, 1, 2, 2, false).withGradientLink(true), new int[]{7, 1, 9, 4});
    }

    static void check(NtmConfig config, int[] own) {
        int runs = own.length, steps = 9;
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, runs)) {
            Ntm ntm = new Ntm(params, config, INIT, SEEDS);
            java.util.SplittableRandom rng = new java.util.SplittableRandom(11);          // fixed bits: the same test every run
            double[] bits = new double[runs * 2 * steps * config.input()];
            for (int i = 0; i < bits.length; i++) bits[i] = rng.nextBoolean() ? 1 : 0;
            NDArray x = m.create(bits, new ai.djl.ndarray.types.Shape(runs, 2, steps, config.input()));
            float[] maskValues = new float[runs * steps];
            for (int r = 0; r < runs; r++) for (int t = 0; t < own[r]; t++) maskValues[r * steps + t] = 1;
            NDArray mask = m.create(maskValues, new ai.djl.ndarray.types.Shape(runs, 1, steps, 1)).toType(DataType.FLOAT64, false);

            Map<String, NDArray> full = copy(params), packed = copy(params);
            Ntm.Pass a = pass(ntm, full, x, null, mask), b = pass(ntm, packed, x, own, mask);
            for (int r = 0; r < runs; r++) {
                String mine = r + ", :, :" + own[r], past = r + ", :, " + own[r] + ":";
                for (String what : new String[]{"logits", "reads", "read", "write"}) {
                    assertArrayEquals(part(a, what, mine), part(b, what, mine), 1e-12, what + " of run " + r);
                    if (!what.equals("logits"))
                        for (double v : part(b, what, past)) assertEquals(0, v, what + " of run " + r + " past its end");
                }
                double[] bias = full.get("output.bias").get(r).toDoubleArray(), logitsPast = part(b, "logits", past);
                for (int i = 0; i < logitsPast.length; i++)       // features are zero there: the logits are the bias
                    assertEquals(bias[i % bias.length], logitsPast[i], 1e-12, "logits of run " + r + " past its end");
                try (NDManager sub = m.newSubManager()) {   // the run's memory: that of a pass stopped at its own end
                    NDArray upTo = x.get(new NDIndex(":, :, :{}", own[r])).duplicate();
                    upTo.attach(sub);
                    Ntm.Pass stopped = ntm.forward(full, upTo, false);
                    assertArrayEquals(stopped.memory().get(r).toDoubleArray(), b.memory().get(r).toDoubleArray(), 1e-12, "memory of run " + r);
                }
            }
            for (String name : full.keySet())
                assertArrayEquals(full.get(name).getGradient().toDoubleArray(), packed.get(name).getGradient().toDoubleArray(), 1e-12, "gradient of " + name);
        }
    }

    static Map<String, NDArray> copy(ParamSet params) {
        Map<String, NDArray> w = new LinkedHashMap<>();
        params.all().forEach((k, v) -> {
            NDArray d = v.toType(DataType.FLOAT64, true);
            d.setRequiresGradient(true);
            w.put(k, d);
        });
        return w;
    }

    static Ntm.Pass pass(Ntm ntm, Map<String, NDArray> w, NDArray x, int[] own, NDArray mask) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Ntm.Pass p = ntm.forward(w, x, false, own);
            gc.backward(p.logits().square().mul(mask).sum());
            return p;
        }
    }

    static double[] part(Ntm.Pass p, String what, String index) {
        NDArray a = switch (what) {
            case "logits" -> p.logits();
            case "reads" -> p.reads();
            case "read" -> p.readWeights();
            default -> p.writeWeights();
        };
        return a.get(index).toDoubleArray();
    }
}
