package memlab.train;

import memlab.egl.CopyExperiment;
import memlab.ephemeral.EphemeralTraining;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A loss diverges above the bound, not at or below it; NaN and ±Inf always do. */
class DivergenceTest {
    @Test
    void bothSidesOfTheBound() {
        Divergence d = new Divergence(50);
        assertFalse(d.test(0));
        assertFalse(d.test(49.99));
        assertFalse(d.test(50), "at the bound is not above it");
        assertTrue(d.test(50.01));
        assertTrue(d.test(5000));
        for (double bad : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) assertTrue(d.test(bad), "" + bad);
        assertFalse(Divergence.NON_FINITE.test(1e30));
        assertTrue(Divergence.NON_FINITE.test(Double.NaN));
        var e = assertThrows(IllegalArgumentException.class, () -> new Divergence(0));
        assertTrue(e.getMessage().contains("lossBound"), e.getMessage());
    }

    /** The models' rules hold the bounds their Javadoc states: EGL copy loss 100, ephemeral-weights loss 50 nats. */
    @Test
    void modelRulesHaveTheirDocumentedBounds() {
        assertFalse(CopyExperiment.DIVERGED.test(99.9));
        assertTrue(CopyExperiment.DIVERGED.test(100.1));
        assertFalse(EphemeralTraining.EXPLODED.test(49.9));
        assertTrue(EphemeralTraining.EXPLODED.test(50.1));
    }

    /** The recorder marks the step that crossed the bound, keeps that step and records no later one. */
    @Test
    void recorderStopsAtTheFirstStepAboveTheBound() {
        RunRecorder rec = new RunRecorder("d", 2, new Divergence(10));
        float[][] losses = {{1, 9}, {2, 10}, {3, 10.5f}, {4, 1}};
        for (int s = 0; s < losses.length; s++) rec.record(s, Map.of(RunRecorder.LOSS, losses[s]));
        assertFalse(rec.diverged(0));
        assertEquals(2, rec.divergedAt(1), "10 is not above 10; 10.5 is");
        assertEquals(10.5, rec.last(1, RunRecorder.LOSS), 1e-6, "the step that broke the rule is kept");
        assertEquals(4, rec.last(0, RunRecorder.LOSS), 0);
        assertEquals(4 + 3, rec.table().rowCount(), "run 1 stops after the step that broke the rule");
    }
}
