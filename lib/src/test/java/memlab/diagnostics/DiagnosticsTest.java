package memlab.diagnostics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The memory-use measures on inputs small enough to work out by hand. */
class DiagnosticsTest {
    @Test
    void groupNormsAndSharesOfKnownGradients() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 2)) {
            NDArray a = p.add("a", new Shape(1, 3), r -> new float[3]);
            NDArray b = p.add("b", new Shape(2), r -> new float[2]);
            // L = Σ c ⊙ θ, so ∂L/∂θ = c: run 0 a = [3, 4, 0], b = [12, 0]; run 1 twice that
            NDArray ca = m.create(new float[]{3, 4, 0, 6, 8, 0}, new Shape(2, 1, 3)), cb = m.create(new float[]{12, 0, 24, 0}, new Shape(2, 2));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(a.mul(ca).sum().add(b.mul(cb).sum()));
            }
            GroupGradients g = GroupGradients.of(p, List.of(new ParamGroup("a01", List.of(new ParamGroup.Slice("a", 0, 2))),
                    new ParamGroup("a2", List.of(new ParamGroup.Slice("a", 2, -1))), ParamGroup.of("b", "b")));
            assertEquals(5, g.norm(0, "a01"), 1e-6);
            assertEquals(0, g.norm(0, "a2"), 1e-6);
            assertEquals(12, g.norm(0, "b"), 1e-6);
            assertEquals(13, g.total()[0], 1e-5);
            assertEquals(10, g.norm(1, "a01"), 1e-6);
            assertEquals(25.0 / 169, g.share(0, "a01"), 1e-7);
            assertEquals(144.0 / 169, g.share(1, "b"), 1e-7);
            assertThrows(IllegalArgumentException.class, () -> g.norm(0, "c"));
        }
    }

    @Test
    void attentionSummaryPerRun() {
        try (NDManager m = NDManager.newBaseManager()) {
            // run 0: one-hot rows on slots 0 then 1; run 1: uniform rows; run 2: one saturated row, one not
            NDArray w = m.create(new float[]{1, 0, 0, 1, 0.5f, 0.5f, 0.5f, 0.5f, 0.9995f, 0.0005f, 0.25f, 0.75f}, new Shape(3, 2, 2));
            AttentionSummary s = AttentionSummary.of(w);
            assertArrayEquals(new double[]{1, 0, 0.5}, s.saturation(), 1e-12);
            assertEquals(0, s.entropy()[0], 1e-12);
            assertEquals(1, s.entropy()[1], 1e-6);
            assertArrayEquals(new double[]{0.5, 0.5}, s.usage()[0], 1e-12);
            assertArrayEquals(new double[]{(0.9995 + 0.25) / 2, (0.0005 + 0.75) / 2}, s.usage()[2], 1e-7);
            assertEquals(2, s.effectiveSlots()[1], 1e-6);
        }
    }

    /**
     * A toy model: attention {@code w = softmax([0, q])} over slot values {@code [0, 2]}, read
     * {@code r = w·[0, 2]}, loss {@code (r − 2)² + (o − 3)²}. At q = 0, o = 0: r = 1, L = 1 + 9 = 10;
     * reads zeroed: L = 4 + 9 = 13, Δ = 3. ∂L/∂q = 2(r − 2)·2σ(q)(1 − σ(q)) = −1, ∂L/∂o = −6.
     */
    static final class Toy implements MemoryModel {
        final ParamSet p;

        Toy(ParamSet p) {
            this.p = p;
            p.add("q", new Shape(1), r -> new float[1]);
            p.add("o", new Shape(1), r -> new float[1]);
        }

        @Override public ParamSet params() { return p; }

        @Override public List<ParamGroup> parameterGroups() {
            return List.of(ParamGroup.of("memory", "q"), ParamGroup.of("output", "o"));
        }

        @Override public Probe probe(NDManager m, boolean readsZeroed) {
            NDArray q = p.get("q");
            NDArray w = m.zeros(q.getShape()).concat(q, 1).softmax(1);                  // (R, 2)
            NDArray r = w.mul(m.create(new float[]{0, 2})).sum(new int[]{1});
            if (readsZeroed) r = r.zerosLike();
            NDArray loss = r.sub(2).square().add(p.get("o").squeeze(1).sub(3).square());
            return new Probe(loss, Map.of("read", w.expandDims(1)));
        }
    }

    @Test
    void measureOnAToyModelByHand() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 1)) {
            Diagnostics.Report rep = Diagnostics.measure(new Toy(p), m);
            assertArrayEquals(new double[]{10}, rep.loss(), 1e-5);
            assertArrayEquals(new double[]{13}, rep.ablatedLoss(), 1e-5);
            assertArrayEquals(new double[]{3}, rep.deltaLoss(), 1e-5);
            assertEquals(1, rep.gradients().norm(0, "memory"), 1e-6);
            assertEquals(6, rep.gradients().norm(0, "output"), 1e-6);
            assertEquals(1.0 / 37, rep.gradients().share(0, "memory"), 1e-7);
            assertEquals(1, rep.attention().get("read").entropy()[0], 1e-6);
            assertEquals(0, rep.attention().get("read").saturation()[0], 0);
            assertFalse(p.get("q").hasGradient() && p.get("q").getGradient().abs().sum().getFloat() != 0, "gradients cleared after measuring");
            assertEquals(2 * 2 + 3 + 3, rep.table().rowCount()); // 2 groups × (norm, share), 1 kind × 3 measures, 3 losses
        }
    }

    @Test
    void traceMeasuresEveryFewStepsAndTabulatesWithTheStep() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 1)) {
            Toy toy = new Toy(p);
            Trace trace = new Trace(toy, 2);
            for (int step = 0; step < 5; step++) trace.maybeMeasure(step, m);
            assertEquals(List.of(0, 2, 4), trace.steps());
            assertEquals(3, trace.last().deltaLoss()[0], 1e-5);                 // the toy's Δ = 13 − 10
            tech.tablesaw.api.Table t = trace.table();
            assertEquals("step", t.column(0).name());
            assertEquals(3 * trace.reports().get(0).table().rowCount(), t.rowCount());
            assertEquals(4, t.intColumn("step").getInt(t.rowCount() - 1));
            assertThrows(IllegalArgumentException.class, () -> new Trace(toy, 0));
            assertThrows(IllegalStateException.class, () -> new Trace(toy, 1).last());
        }
    }
}
