package memlab.memn2n;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import memlab.tasks.BabiStories;
import memlab.tasks.BabiTask;
import memlab.tasks.StoryBatch;
import memlab.tasks.Vocabulary;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every parameter gradient of a whole memory-network pass (embeddings tied across hops, temporal tables,
 * position encoding, attention with empty slots, answer cross-entropy) against central finite differences,
 * in float64, on two runs with generated stories.
 */
class MemN2NGradientTest {
    static final double H = 1e-5, TOL = 1e-7;

    @Test
    void positionAndTemporalEncodingThreeHops() {
        check(new MemN2N.Config(Vocabulary.babi().size(), 3, 5, 6, 3, true, true), BabiTask.TWO_SUPPORTING_FACTS, 4);
    }

    @Test
    void bagOfWordsOneHop() {
        check(new MemN2N.Config(Vocabulary.babi().size(), 3, 10, 7, 1, false, false), BabiTask.MATERNAL_GRANDFATHER, 10);
    }

    static void check(MemN2N.Config config, BabiTask task, int sentences) {
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, 2)) {
            long[] seeds = {3, 4};
            MemN2N model = new MemN2N(params, config, seeds);
            StoryBatch batch = StoryTraining.batch(model, new BabiStories(task, sentences), Vocabulary.babi(), 3, seeds, 0);
            Map<String, NDArray> w = new LinkedHashMap<>();
            params.all().forEach((k, v) -> {
                NDArray d = v.toType(DataType.FLOAT64, true).mul(3);       // larger weights: attention far from uniform
                d.setRequiresGradient(true);
                w.put(k, d);
            });
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss(model, w, batch, m));
            }
            int checked = 0;
            for (String name : w.keySet()) {
                double[] grad = w.get(name).getGradient().toDoubleArray(), base = w.get(name).toDoubleArray();
                int nonZero = 0;
                for (int i = 0; i < base.length; i++) {
                    if (grad[i] == 0 && (i % 7 != 0)) continue;     // rows of words the batch lacks: spot-check only
                    double fd = (perturbed(model, w, batch, m, name, base, i, H) - perturbed(model, w, batch, m, name, base, i, -H)) / (2 * H);
                    assertEquals(fd, grad[i], TOL * (1 + Math.abs(fd)), name + "[" + i + "]");
                    checked++;
                    if (grad[i] != 0) nonZero++;
                }
                assertTrue(nonZero > 0, name + " gets a gradient");
            }
            assertTrue(checked > 100, "checked " + checked + " entries");
        }
    }

    static NDArray loss(MemN2N model, Map<String, NDArray> w, StoryBatch batch, NDManager m) {
        return MemN2N.score(model.forward(w, batch, m).logits(), batch, m).loss().sum();
    }

    static double perturbed(MemN2N model, Map<String, NDArray> w, StoryBatch batch, NDManager m, String name, double[] base, int i, double h) {
        try (NDManager sub = m.newSubManager()) {
            double[] v = base.clone();
            v[i] += h;
            Map<String, NDArray> copy = new LinkedHashMap<>(w);
            copy.put(name, sub.create(v, w.get(name).getShape()));
            return loss(model, copy, batch, sub).getDouble();
        }
    }
}
