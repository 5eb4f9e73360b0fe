package memlab.attention;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import memlab.core.Seeds;
import memlab.tasks.SequenceReversal;
import memlab.train.ParamSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every parameter gradient of a whole encoder–decoder pass (embedding, both LSTMs, additive alignment,
 * soft or hard context, output, cross-entropy) against central finite differences, in float64, two runs.
 * For hard attention the positions are drawn again from the same streams at every evaluation (a step of
 * 1e-5 does not move a draw), and the function checked is the cross-entropy plus {@code Σ log α_t(j_t)}:
 * both pieces whose gradients the REINFORCE loss combines.
 */
class Seq2SeqGradientTest {
    static final double H = 1e-5, TOL = 1e-7;
    static final long[] SEEDS = {2, 3};

    @ParameterizedTest
    @EnumSource(Attention.class)
    void gradientsMatchFiniteDifferences(Attention attention) {
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, 2)) {
            Seq2Seq model = new Seq2Seq(params, new Seq2Seq.Config(4, 3, 4, 3, attention), SEEDS);
            NDArray[] data = new SequenceReversal(4, 3).arrays(m, 2, SEEDS, 0);
            Map<String, NDArray> w = new LinkedHashMap<>();
            params.all().forEach((k, v) -> {
                NDArray d = v.toType(DataType.FLOAT64, true).mul(2);     // larger weights: peaked attention, saturating gates
                d.setRequiresGradient(true);
                w.put(k, d);
            });
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(objective(model, w, data));
            }
            int checked = 0;
            for (String name : w.keySet()) {
                double[] grad = w.get(name).getGradient().toDoubleArray(), base = w.get(name).toDoubleArray();
                for (int i = 0; i < base.length; i++) {
                    double fd = (perturbed(model, w, data, name, base, i, H) - perturbed(model, w, data, name, base, i, -H)) / (2 * H);
                    assertEquals(fd, grad[i], TOL * (1 + Math.abs(fd)), attention + " " + name + "[" + i + "]");
                    checked++;
                }
            }
            assertTrue(checked > 150, "checked " + checked + " entries");
        }
    }

    static NDArray objective(Seq2Seq model, Map<String, NDArray> w, NDArray[] data) {
        boolean hard = model.config().attention() == Attention.HARD;
        SplittableRandom[] rngs = hard ? new SplittableRandom[]{Seeds.stream(7, "fd"), Seeds.stream(8, "fd")} : null;
        Seq2Seq.Pass pass = model.forward(w, data[0], rngs);
        NDArray loss = Seq2Seq.score(pass.logits(), data[1]).loss().sum();
        return hard ? loss.add(pass.logPolicy().sum()) : loss;
    }

    static double perturbed(Seq2Seq model, Map<String, NDArray> w, NDArray[] data, String name, double[] base, int i, double h) {
        try (NDManager sub = data[0].getManager().newSubManager()) {
            double[] v = base.clone();
            v[i] += h;
            Map<String, NDArray> copy = new LinkedHashMap<>(w);
            copy.put(name, sub.create(v, w.get(name).getShape()));
            return objective(model, copy, data).getDouble();
        }
    }
}
