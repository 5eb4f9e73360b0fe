package memlab.dnc;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import memlab.ntm.Controller;
import memlab.tasks.BitCopyTask;
import memlab.tasks.RepeatCopyTask;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every parameter gradient of a whole DNC pass (controller, interface, usage, sorted allocation, write
 * weighting, erase/add write, links, read modes, reads, output, cost in bits) against central finite
 * differences, in float64 on tiny models of two runs.
 */
class DncGradientTest {
    static final double H = 1e-5, TOL = 1e-7;

    @Test
    void lstmTwoReadHeadsOnCopyMatchesFiniteDifferences() {
        BitCopyTask task = new BitCopyTask(2, 2, 3, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            check(new DncConfig(3, 2, Controller.LSTM, 3, 4, 2, 2), task.batch(m, new long[]{4, 5}, new boolean[]{false, false}, 7));
        }
    }

    @Test
    void feedForwardOnRepeatCopyMatchesFiniteDifferences() {
        RepeatCopyTask task = new RepeatCopyTask(2, 2, 2, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            check(new DncConfig(4, 3, Controller.FEEDFORWARD, 3, 5, 2, 1), task.batch(m, new long[]{4, 5}, 3));
        }
    }

    static void check(DncConfig config, BitCopyTask.Batch f32) {
        NDManager m = f32.inputs().getManager();
        try (ParamSet params = new ParamSet(m, 2)) {
            Dnc dnc = new Dnc(params, config, new long[]{4, 5});
            BitCopyTask.Batch batch = new BitCopyTask.Batch(f32.inputs().toType(DataType.FLOAT64, false),
                    f32.targets().toType(DataType.FLOAT64, false), f32.mask().toType(DataType.FLOAT64, false), f32.lengths());
            Map<String, NDArray> w = new LinkedHashMap<>();
            params.all().forEach((k, v) -> {
                NDArray d = v.toType(DataType.FLOAT64, true);
                d.setRequiresGradient(true);
                w.put(k, d);
            });
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(cost(dnc, w, batch));
            }
            int checked = 0;
            for (String name : w.keySet()) {
                double[] grad = w.get(name).getGradient().toDoubleArray();
                double[] base = w.get(name).toDoubleArray();
                int stride = Math.max(1, base.length / 24);      // every entry of small parameters, 24 spread out of larger ones
                for (int i = 0; i < base.length; i += stride) {
                    double fd = (perturbed(dnc, w, batch, name, base, i, H) - perturbed(dnc, w, batch, name, base, i, -H)) / (2 * H);
                    assertEquals(fd, grad[i], TOL * (1 + Math.abs(fd)), name + "[" + i + "]");
                    checked++;
                }
            }
            assertTrue(checked > 80, "checked " + checked + " entries");
        }
    }

    static NDArray cost(Dnc dnc, Map<String, NDArray> w, BitCopyTask.Batch batch) {
        return BitCopyTask.costBits(dnc.forward(w, batch.inputs()).logits(), batch).sum();
    }

    static double perturbed(Dnc dnc, Map<String, NDArray> w, BitCopyTask.Batch batch, String name, double[] base, int i, double h) {
        try (NDManager sub = batch.inputs().getManager().newSubManager()) {
            double[] v = base.clone();
            v[i] += h;
            Map<String, NDArray> copy = new LinkedHashMap<>(w);
            copy.put(name, sub.create(v, w.get(name).getShape()));
            return cost(dnc, copy, batch).getDouble();
        }
    }
}
