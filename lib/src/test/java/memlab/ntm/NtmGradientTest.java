package memlab.ntm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import memlab.tasks.BitCopyTask;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every parameter gradient of a whole NTM pass (controller, all addressing stages, erase/add write,
 * reads, output, cost in bits) against central finite differences, in float64 on a tiny model.
 */
class NtmGradientTest {
    static final double H = 1e-5, TOL = 1e-7;

    @Test
    void lstmGradientsMatchFiniteDifferences() {
        check(new NtmConfig(3, 2, Controller.LSTM, 3, 5, 2, 1, 1, 1, true));
    }

    @Test
    void feedForwardTwoWriteHeadsGradientsMatchFiniteDifferences() {
        check(new NtmConfig(3, 2, Controller.FEEDFORWARD, 3, 6, 2, 1, 2, 2, false));
    }

    static void check(NtmConfig config) {
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, 2)) {
            Ntm ntm = new Ntm(params, config, new MemoryInit[]{MemoryInit.LEARNED, MemoryInit.RANDOM}, new long[]{4, 5});
            BitCopyTask task = new BitCopyTask(2, 2, 3, 1);
            BitCopyTask.Batch f32 = task.batch(m, new long[]{4, 5}, new boolean[]{false, false}, 7);
            BitCopyTask.Batch batch = new BitCopyTask.Batch(f32.inputs().toType(DataType.FLOAT64, false),
                    f32.targets().toType(DataType.FLOAT64, false), f32.mask().toType(DataType.FLOAT64, false), f32.lengths());
            Map<String, NDArray> w = new LinkedHashMap<>();
            params.all().forEach((k, v) -> {
                NDArray d = v.toType(DataType.FLOAT64, true);
                d.setRequiresGradient(true);
                w.put(k, d);
            });
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(cost(ntm, w, batch));
            }
            int checked = 0;
            for (String name : w.keySet()) {
                double[] grad = w.get(name).getGradient().toDoubleArray();
                double[] base = w.get(name).toDoubleArray();
                // every entry of small parameters, 24 spread-out entries of larger ones (both runs' slices)
                int stride = Math.max(1, base.length / 24);
                for (int i = 0; i < base.length; i += stride) {
                    double fd = (perturbed(ntm, w, batch, name, base, i, H) - perturbed(ntm, w, batch, name, base, i, -H)) / (2 * H);
                    assertEquals(fd, grad[i], TOL * (1 + Math.abs(fd)), name + "[" + i + "]");
                    checked++;
                }
            }
            assertTrue(checked > 100, "checked " + checked + " entries");
        }
    }

    static NDArray cost(Ntm ntm, Map<String, NDArray> w, BitCopyTask.Batch batch) {
        return BitCopyTask.costBits(ntm.forward(w, batch.inputs(), false).logits(), batch).sum();
    }

    static double perturbed(Ntm ntm, Map<String, NDArray> w, BitCopyTask.Batch batch, String name, double[] base, int i, double h) {
        try (NDManager sub = batch.inputs().getManager().newSubManager()) {
            double[] v = base.clone();
            v[i] += h;
            Map<String, NDArray> copy = new LinkedHashMap<>(w);
            copy.put(name, sub.create(v, w.get(name).getShape()));
            return cost(ntm, copy, batch).getDouble();
        }
    }
}
