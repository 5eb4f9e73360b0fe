package memlab.mixers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.tasks.MultiQueryRecall;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SequenceModelTest {
    static final List<MixerSpec> ALL = List.of(MixerSpec.attention(2), MixerSpec.slidingWindow(2, 3),
            MixerSpec.linearAttention(2), MixerSpec.deltaNet(2), MixerSpec.gatedDeltaNet(2));

    /** Changing the last token changes no earlier logit, in every mixer (a hybrid of all five). */
    @Test
    void causalThroughEveryMixer() {
        try (NDManager m = NDManager.newBaseManager();
             SequenceModel model = new SequenceModel(m, SequenceModel.Config.of(12, 8, 10, ALL), new long[]{4})) {
            int[] a = {1, 5, 2, 7, 3, 3, 9, 0, 4, 6}, b = a.clone();
            b[9] = 11;
            float[] la = model.logits(m.create(a, new Shape(1, 1, 10))).toFloatArray();
            float[] lb = model.logits(m.create(b, new Shape(1, 1, 10))).toFloatArray();
            for (int i = 0; i < 9 * 12; i++) assertEquals(la[i], lb[i], 1e-6, "logit " + i + " before the changed token");
            boolean changed = false;
            for (int i = 9 * 12; i < 10 * 12; i++) changed |= la[i] != lb[i];
            assertTrue(changed, "the last position sees its own token");
            assertEquals(2L * 10 * 8 + 2L * 3 * 8 + 2 * (16 + 4) + 2 * 16 + 2 * 16, model.stateSize(10));
        }
    }

    /** Run r of a 2-run model is the 1-run model of seed r: runs are independent, in outputs and loss gradients. */
    @Test
    void batchedRunsAreIndependentRuns() {
        MultiQueryRecall task = new MultiQueryRecall(16, 2, 12);
        long[] seeds = {11, 12};
        var cfg = SequenceModel.Config.of(16, 8, 12, List.of(MixerSpec.deltaNet(2), MixerSpec.attention(2)));
        try (NDManager m = NDManager.newBaseManager(); SequenceModel both = new SequenceModel(m, cfg, seeds)) {
            NDArray[] data = task.arrays(m, 3, seeds, 0);
            SequenceModel.Result r2;
            try (var gc = Engine.getInstance().newGradientCollector()) {
                r2 = both.loss(data[0], data[1], data[2]);
                gc.backward(r2.loss());
            }
            for (int r = 0; r < 2; r++)
                try (SequenceModel one = new SequenceModel(m, cfg, new long[]{seeds[r]})) {
                    NDArray[] d1 = task.arrays(m, 3, new long[]{seeds[r]}, 0);
                    SequenceModel.Result r1;
                    try (var gc = Engine.getInstance().newGradientCollector()) {
                        r1 = one.loss(d1[0], d1[1], d1[2]);
                        gc.backward(r1.loss());
                    }
                    assertEquals(r1.lossPerRun()[0], r2.lossPerRun()[r], 1e-5);
                    assertEquals(r1.accuracy()[0], r2.accuracy()[r], 1e-6);
                    for (var e : one.params().all().entrySet()) {
                        float[] g1 = e.getValue().getGradient().toFloatArray();
                        float[] g2 = both.params().get(e.getKey()).getGradient().get(r).toFloatArray();
                        assertTrue(Mixers.relErr(g1, g2) < 1e-5, e.getKey());
                    }
                }
        }
    }

    /** The loss is −mean log p(target) over the answers only; accuracy counts argmax hits there. */
    @Test
    void lossAndAccuracyOnlyAtAnswers() {
        MultiQueryRecall task = new MultiQueryRecall(16, 2, 12);
        try (NDManager m = NDManager.newBaseManager();
             SequenceModel model = new SequenceModel(m, SequenceModel.Config.of(16, 8, 12, List.of(MixerSpec.linearAttention(1))), new long[]{2})) {
            NDArray[] d = task.arrays(m, 4, new long[]{2}, 5);
            NDArray logits = model.logits(d[0]);
            SequenceModel.Result res = model.lossFromLogits(logits, d[1], d[2]);
            float[] l = logits.toFloatArray();
            int[] tg = d[1].toIntArray();
            float[] mask = d[2].toFloatArray();
            double sum = 0;
            int n = 0, hits = 0;
            for (int p = 0; p < mask.length; p++) {
                if (mask[p] == 0) continue;
                double max = Double.NEGATIVE_INFINITY, z = 0;
                int arg = 0;
                for (int v = 0; v < 16; v++) if (l[p * 16 + v] > max) { max = l[p * 16 + v]; arg = v; }
                for (int v = 0; v < 16; v++) z += Math.exp(l[p * 16 + v] - max);
                sum += -(l[p * 16 + tg[p]] - max - Math.log(z));
                hits += arg == tg[p] ? 1 : 0;
                n++;
            }
            assertEquals(8, n, "2 answers in each of 4 sequences");
            assertEquals(sum / n, res.lossPerRun()[0], 1e-5);
            assertEquals((double) hits / n, res.accuracy()[0], 1e-6);
        }
    }

    /** An ablated layer's mixer gets no gradient and changes the logits; restoring it gives the old logits back. */
    @Test
    void ablationZeroesTheLayersMixer() {
        try (NDManager m = NDManager.newBaseManager();
             SequenceModel model = new SequenceModel(m, SequenceModel.Config.of(12, 8, 6, List.of(MixerSpec.attention(2), MixerSpec.deltaNet(2))), new long[]{1})) {
            NDArray tokens = m.create(new int[]{1, 2, 3, 4, 5, 6}, new Shape(1, 1, 6));
            float[] before = model.logits(tokens).toFloatArray();
            model.ablate(1, true);
            try (var gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = model.logits(tokens);
                assertFalse(java.util.Arrays.equals(before, l.toFloatArray()));
                gc.backward(l.sum());
            }
            for (String name : model.layerParameterNames(1))
                assertEquals(0f, model.params().get(name).getGradient().abs().max().getFloat(), name);
            assertTrue(model.params().get(model.layerParameterNames(0).get(0)).getGradient().abs().max().getFloat() > 0);
            model.ablate(1, false);
            assertArrayEquals(before, model.logits(tokens).toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> model.ablate(2, true));
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> MixerSpec.slidingWindow(2, 0));
        assertTrue(e.getMessage().startsWith("window must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SequenceModel.Config.of(12, 10, 6, List.of(MixerSpec.deltaNet(4))));
        assertTrue(e.getMessage().startsWith("heads must divide width"), e.getMessage());
        try (NDManager m = NDManager.newBaseManager(); var ps = new memlab.train.ParamSet(m, 1)) {
            e = assertThrows(IllegalArgumentException.class, () -> new SoftmaxAttention(ps, "a", 8, 2, 0, new long[]{0}));
            assertTrue(e.getMessage().startsWith("window must be"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new GatedDeltaNet(ps, "g", 8, 3, new long[]{0}));
            assertTrue(e.getMessage().startsWith("heads must divide width"), e.getMessage());
        }
    }
}
