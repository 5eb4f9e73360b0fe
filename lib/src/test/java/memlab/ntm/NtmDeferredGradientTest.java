package memlab.ntm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import memlab.train.DeferredWeightGradients;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The NTM's pass with the per-step weight gradients of the controller's state rows and of the heads
 * formed once per sequence ({@link DeferredWeightGradients}) against autograd's step-by-step sum, in
 * float64: the same outputs, and the same gradient for every parameter, with packed runs of different
 * lengths and with all runs at full length.
 */
class NtmDeferredGradientTest {
    @Test
    void lstmPackedRunsHaveAutogradsGradients() {
        check(new NtmConfig(3, 2, Controller.LSTM, 3, 5, 2, 1, 2, 1, true), new int[]{3, 9, 5, 9});
    }

    @Test
    void feedForwardWithTwoWriteHeadsAndGradientLinkAtFullLengthHasAutogradsGradients() {
        check(new NtmConfig(3, 2, Controller.FEEDFORWARD, 3, 6, 2, 1, 1, 2, false).withGradientLink(true), null);
    }

    /**
     * Each time step closes its temporaries (an {@code NDScope}, as in the DNC): a pass over packed runs leaves a
     * handful of arrays per step (state, weightings, memory, reads, and the deferred controller's inputs), with or
     * without deferred weight gradients; without the scope it left 73.
     */
    @Test
    void aPassKeepsOnlyTheStateOfEachStep() {
        NtmConfig config = new NtmConfig(3, 2, Controller.LSTM, 3, 5, 2, 1, 2, 1, true);
        int runs = 4, steps = 9;
        for (boolean defer : new boolean[]{false, true})
            try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, runs); NDManager step = m.newSubManager()) {
                Ntm ntm = new Ntm(params, config, NtmPackingTest.INIT, NtmPackingTest.SEEDS);
                NDArray x = step.randomUniform(0, 1, new Shape(runs, 2, steps, config.input())).toType(DataType.FLOAT64, false);
                Map<String, NDArray> w = NtmPackingTest.copy(params);
                int before = step.getManagedArrays().size();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    Ntm.Pass p = ntm.forward(w, x, false, new int[]{3, 9, 5, 9}, defer ? new DeferredWeightGradients(0) : null);
                    int perStep = (step.getManagedArrays().size() - before) / steps;
                    assertTrue(perStep <= 25, "defer " + defer + ": arrays left per time step: " + perStep);
                    gc.backward(p.logits().sum());
                }
            }
    }

    static void check(NtmConfig config, int[] own) {
        int runs = 4, steps = 9;
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, runs)) {
            Ntm ntm = new Ntm(params, config, NtmPackingTest.INIT, NtmPackingTest.SEEDS);
            java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
            double[] bits = new double[runs * 2 * steps * config.input()], target = new double[runs * 2 * steps * config.output()];
            for (int i = 0; i < bits.length; i++) bits[i] = rng.nextBoolean() ? 1 : 0;
            for (int i = 0; i < target.length; i++) target[i] = rng.nextDouble() - 0.5;
            NDArray x = m.create(bits, new Shape(runs, 2, steps, config.input()));
            NDArray y = m.create(target, new Shape(runs, 2, steps, config.output()));
            Map<String, NDArray> plain = NtmPackingTest.copy(params), deferredW = NtmPackingTest.copy(params);
            DeferredWeightGradients deferred = new DeferredWeightGradients(0);
            Ntm.Pass a, b;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                a = ntm.forward(plain, x, false, own, null);
                gc.backward(a.logits().mul(y).sum().add(a.reads().square().sum()));
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                b = ntm.forward(deferredW, x, false, own, deferred);
                gc.backward(b.logits().mul(y).sum().add(b.reads().square().sum()));
            }
            // before apply: the deferred weights have no gradient from the state rows and heads yet
            assertFalse(java.util.Arrays.equals(plain.get("heads.weight").getGradient().toDoubleArray(),
                    deferredW.get("heads.weight").getGradient().toType(DataType.FLOAT64, false).toDoubleArray()), "the heads' weight should wait for apply()");
            deferred.apply();
            assertArrayEquals(a.logits().toDoubleArray(), b.logits().toDoubleArray(), 0, "logits");
            assertArrayEquals(a.readWeights().toDoubleArray(), b.readWeights().toDoubleArray(), 0, "read weights");
            for (String name : plain.keySet()) {
                double[] g = plain.get(name).getGradient().toDoubleArray(), h = deferredW.get(name).getGradient().toDoubleArray();
                double scale = 0;
                for (double v : g) scale = Math.max(scale, Math.abs(v));
                assertTrue(scale > 0, "gradient of " + name + " is zero: nothing tested");
                assertArrayEquals(g, h, 1e-12 * scale, "gradient of " + name);
            }
        }
    }

    @Test
    void onlyWeightsWhosePerStepGradientIsAboveTheThresholdAreDeferred() {
        try (NDManager m = NDManager.newBaseManager()) {
            DeferredWeightGradients d = new DeferredWeightGradients();
            // the NTM recipe grid's controller state rows (60 runs, 120 rows, 400 gates) and one run of it
            assertTrue(d.pays(m.zeros(new Shape(60, 120, 400), DataType.FLOAT32)));
            assertFalse(d.pays(m.zeros(new Shape(1, 120, 400), DataType.FLOAT32)));
            assertThrows(IllegalArgumentException.class, () -> new DeferredWeightGradients(-1));
        }
    }
}
