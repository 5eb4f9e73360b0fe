package memlab.mixers;

import ai.djl.ndarray.NDManager;
import memlab.diagnostics.Diagnostics;
import memlab.diagnostics.Trace;
import memlab.tasks.MultiQueryRecall;
import memlab.train.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The recall experiments' plumbing on tiny sizes: batched seeds, state sizes, the probe's ablation and groups, bad settings. */
class RecallExperimentTest {
    static final RecallExperiment.Setup TINY = new RecallExperiment.Setup(16, 2, 12, 2, 2, 4, 3, 3e-3, 1, 1);

    /** A seed trained inside a batch of seeds gets exactly what it gets alone: the runs are independent. */
    @Test
    void batchedSeedsAreTheSeedsAlone() {
        var point = new RecallExperiment.Point(MixerSpec.deltaNet(2), 8);
        RecallExperiment.Result both = RecallExperiment.train(TINY, point, new long[]{5, 6});
        RecallExperiment.Result alone = RecallExperiment.train(TINY, point, new long[]{6});
        assertEquals(alone.accuracy()[0], both.accuracy()[1], 1e-6);
        assertEquals(alone.finalLoss()[0], both.finalLoss()[1], 1e-5);
        assertEquals(2, both.accuracy().length);
        // two DeltaNet layers of H d² = 2·4² plus two short convolutions of (K − 1)·D = 1·8
        assertEquals(2 * (2 * 16 + 8), both.stateSize());
        var table = RecallExperiment.table(List.of(both, alone));
        assertEquals(3, table.rowCount());
        assertEquals("deltanet", table.stringColumn("family").get(0));
    }

    @Test
    void gridHasTheReferenceEveryWindowAndEveryWidthOfEachFamily() {
        List<RecallExperiment.Point> g = RecallExperiment.grid(1, 16, new int[]{2, 4}, new int[]{8, 16});
        assertEquals(1 + 2 + 3 * 2, g.size());
        assertEquals(MixerSpec.Kind.ATTENTION, g.get(0).mixer().kind());
        Set<String> families = new HashSet<>();
        for (var p : g) families.add(p.family());
        assertEquals(Set.of("attention", "sliding window", "linear attention", "deltanet", "gated deltanet"), families);
    }

    /** Vocabulary too small for the pairs, sequence too short, heads not dividing the width, window < 1: each named. */
    @Test
    void badSettingsNameTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> new RecallExperiment.Setup(10, 8, 64, 2, 0, 4, 3, 1e-3, 1, 1));
        assertTrue(e.getMessage().startsWith("vocab must be >= 2·pairs + 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RecallExperiment.Setup(64, 8, 20, 2, 0, 4, 3, 1e-3, 1, 1));
        assertTrue(e.getMessage().startsWith("length must be >= 4·pairs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RecallExperiment.Setup(64, 8, 64, 2, -1, 4, 3, 1e-3, 1, 1));
        assertTrue(e.getMessage().startsWith("shortConv must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RecallExperiment.Setup(64, 8, 64, 2, 0, 4, 0, 1e-3, 1, 1));
        assertTrue(e.getMessage().startsWith("steps must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RecallExperiment.Point(MixerSpec.linearAttention(3), 8));
        assertTrue(e.getMessage().startsWith("heads must divide width"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MixerSpec.slidingWindow(1, 0));
        assertTrue(e.getMessage().startsWith("window must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new HybridExperiment.Hybrid("x", List.of(MixerSpec.deltaNet(1)), 1));
        assertTrue(e.getMessage().startsWith("zeroedLayer must be in [0, 0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RecallExperiment.train(TINY, new RecallExperiment.Point(MixerSpec.deltaNet(1), 4), new long[0]));
    }

    /**
     * The probe's ablated pass is the model with the layer's mixer zeroed by hand, and leaves it restored;
     * its groups are each layer's mixer and MLP, disjoint; Diagnostics and Trace run on it unchanged.
     */
    @Test
    void probeZeroesTheLayerAndDiagnosticsRunOnIt() {
        MultiQueryRecall task = TINY.task();
        long[] seeds = {1, 2};
        var cfg = TINY.config(List.of(MixerSpec.attention(2), MixerSpec.deltaNet(2)), 8);
        try (NDManager m = NDManager.newBaseManager(); SequenceModel model = new SequenceModel(m, cfg, seeds)) {
            RecallProbe probe = new RecallProbe(model, 1, task, 3, seeds, -7);
            var data = task.arrays(m, 3, seeds, -7);
            float[] intact = model.loss(data[0], data[1], data[2]).lossPerRun();
            model.ablate(1, true);
            float[] zeroed = model.loss(data[0], data[1], data[2]).lossPerRun();
            model.ablate(1, false);
            try (NDManager s = m.newSubManager()) {
                assertArrayEquals(zeroed, probe.probe(s, true).loss().toFloatArray(), 1e-6f);
                assertArrayEquals(intact, probe.probe(s, false).loss().toFloatArray(), 1e-6f, "the ablation is undone after the probe");
            }
            Set<String> seen = new HashSet<>();
            for (var g : probe.parameterGroups())
                for (var slice : g.slices()) assertTrue(seen.add(slice.param()), slice.param() + " in two groups");
            assertTrue(seen.containsAll(model.layerParameterNames(1)));
            assertTrue(seen.contains("layer1.conv.weight"));

            Diagnostics.Report rep = Diagnostics.measure(probe, m);
            assertEquals(List.of("layer 1 mixer", "layer 1 mlp", "layer 2 mixer", "layer 2 mlp"), rep.gradients().groups());
            for (int r = 0; r < 2; r++) {
                assertEquals(zeroed[r] - intact[r], rep.deltaLoss()[r], 1e-5);
                assertTrue(rep.gradients().share(r, "layer 2 mixer") > 0);
            }
            Trace trace = new Trace(probe, 2);
            try (Optimizer opt = Optimizer.adam(1e-3).forRuns(2)) {
                for (int step = 0; step < 3; step++) {
                    trace.maybeMeasure(step, m);
                    RecallTraining.step(model, opt, task, 3, seeds, step);
                }
            }
            assertEquals(List.of(0, 2), trace.steps());
            assertThrows(IllegalArgumentException.class, () -> new RecallProbe(model, 2, task, 3, seeds, 0));
            assertThrows(IllegalArgumentException.class, () -> new RecallProbe(model, 0, task, 3, new long[]{1}, 0));
        }
    }

    /** A hybrid trains; the zeroed accuracy is measured with the layer off; the trace covers step 0 to the last. */
    @Test
    void hybridRecordsTheAblationAndTheShareOverTraining() {
        var hybrid = HybridExperiment.standard(2, 2).get(0);
        assertEquals("attention → deltanet", hybrid.name());
        HybridExperiment.Result r = HybridExperiment.train(TINY, hybrid, 8, new long[]{1, 2}, 2);
        assertEquals(List.of(0, 2, 3), r.steps());
        for (int i = 0; i < 3; i++)
            for (double s : r.share()[i]) assertTrue(s > 0 && s < 1, "share " + s);
        for (int k = 0; k < 2; k++) assertEquals(r.accuracy()[k] - r.zeroedAccuracy()[k], r.drop()[k], 0);
        assertEquals(2, HybridExperiment.ablationTable(List.of(r)).rowCount());
        assertEquals(6, HybridExperiment.traceTable(List.of(r)).rowCount());
    }
}
