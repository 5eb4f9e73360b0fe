package memlab.pmnet;

import memlab.notebook.Outcome;
import memlab.stats.Finding;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The verdict logic of notebook 03 at its edges: clear cases, ties, no difference, NaN. */
class PhasorClaimsTest {
    static final double NaN = Double.NaN;

    @Test
    void copy() {
        double[] one = {1, 0.98, 1}, zero = {0, 0, 0.02}, lstm = {0.1, 0.2, 0.1};
        assertEquals(Outcome.REPRODUCED, PhasorClaims.copy(one, one, zero, lstm, 32, 0.9, 0.1).outcome(), "the paper's picture");
        Finding none = PhasorClaims.copy(zero, zero, zero, lstm, 32, 0.9, 0.1);
        assertEquals(Outcome.NOT_REPRODUCED, none.outcome(), "nothing learnt anywhere: " + none);
        assertTrue(none.text().contains("within the tolerance"), none.text());
        assertEquals(Outcome.PARTLY, PhasorClaims.copy(new double[]{0.5, 0.5, 0.5}, one, zero, lstm, 32, 0.9, 0.1).outcome(), "better than the window, not ≈100%");
        assertEquals(Outcome.NOT_REPRODUCED, PhasorClaims.copy(new double[]{0.2, 0.2, 0.2}, zero, new double[]{0.2, 0.2, 0.2}, lstm, 32, 0.9, 0.1).outcome(), "a tie");
        Finding nan = PhasorClaims.copy(new double[]{NaN, NaN, NaN}, one, zero, new double[]{NaN}, 32, 0.9, 0.1);
        assertEquals(Outcome.PARTLY, nan.outcome(), "PMNet diverged: its parts untestable, the window's drop still holds: " + nan);
        assertTrue(nan.text().contains("PMNet has no finite retrieval"), nan.text());
        assertEquals(Outcome.UNTESTABLE, PhasorClaims.copy(new double[]{NaN}, new double[]{NaN}, new double[]{NaN}, lstm, 32, 0.9, 0.1).outcome());
        assertEquals(Outcome.REPRODUCED, PhasorClaims.copy(new double[]{0.9, 0.9}, one, zero, lstm, 32, 0.9, 0.1).outcome(), "exactly at the level counts");
    }

    @Test
    void gradNorm() {
        double[] flat = {0.1, -0.2, 0.05}, vanishing = {-3, -4, -2.5}, exploding = {2, 3, 4};
        assertEquals(Outcome.REPRODUCED, PhasorClaims.gradNorm("untrained", flat, vanishing, 10).outcome());
        Finding ex = PhasorClaims.gradNorm("trained", flat, exploding, 10);
        assertEquals(Outcome.REPRODUCED, ex.outcome());
        assertTrue(ex.text().contains("explodes"), ex.text());
        assertEquals(Outcome.NOT_REPRODUCED, PhasorClaims.gradNorm("x", vanishing, flat, 10).outcome(), "the opposite");
        assertEquals(Outcome.PARTLY, PhasorClaims.gradNorm("x", flat, flat, 10).outcome(), "no difference between the states");
        assertEquals(Outcome.REPRODUCED, PhasorClaims.gradNorm("x", new double[]{1, 1}, new double[]{-1.01}, 10).outcome(), "a ratio of exactly 10 is constant");
        assertEquals(Outcome.PARTLY, PhasorClaims.gradNorm("x", new double[]{NaN, NaN}, vanishing, 10).outcome());
        assertEquals(Outcome.UNTESTABLE, PhasorClaims.gradNorm("x", new double[]{NaN}, new double[]{}, 10).outcome());
        PhasorMemoryTest.assertMessage(() -> PhasorClaims.gradNorm("x", flat, flat, 1), "factor must be finite and > 1");
    }

    @Test
    void ablation() {
        Map<String, double[]> sw = new LinkedHashMap<>();
        sw.put("zero-anchors", new double[]{0.2, 0.3});
        sw.put("unconstrained", new double[]{0.1, 0.1});
        assertEquals(Outcome.REPRODUCED, PhasorClaims.ablation(new double[]{0.9, 0.95}, sw, 16, 0.1).outcome());
        sw.put("flat", new double[]{0.9, 0.9});
        Finding partly = PhasorClaims.ablation(new double[]{0.9, 0.95}, sw, 16, 0.1);
        assertEquals(Outcome.PARTLY, partly.outcome(), "one switch does not hurt");
        assertTrue(partly.text().contains("flat and full PMNet are within the tolerance"), partly.text());
        assertEquals(Outcome.NOT_REPRODUCED, PhasorClaims.ablation(new double[]{0, 0}, Map.of("flat", new double[]{0, 0}), 16, 0.1).outcome(), "all zero");
        assertEquals(Outcome.UNTESTABLE, PhasorClaims.ablation(new double[]{NaN}, Map.of("flat", new double[]{0.5}), 16, 0.1).outcome());
        PhasorMemoryTest.assertMessage(() -> PhasorClaims.ablation(new double[]{1}, Map.of(), 16, 0.1), "switched");
    }

    @Test
    void longContext() {
        double[] within = {2.0, 2.1}, same = {2.05, 2.0}, worse = {3, 3.2};
        assertEquals(Outcome.REPRODUCED, PhasorClaims.longContext(within, same, same, 0.1).outcome(), "ties count as robust");
        assertEquals(Outcome.REPRODUCED, PhasorClaims.longContext(within, new double[]{1.5, 1.6}, worse, 0.1).outcome(), "lower beyond");
        assertEquals(Outcome.PARTLY, PhasorClaims.longContext(within, same, new double[]{1, 1}, 0.1).outcome(), "robust, but worse than the window");
        assertEquals(Outcome.NOT_REPRODUCED, PhasorClaims.longContext(within, worse, within, 0.1).outcome());
        assertEquals(Outcome.UNTESTABLE, PhasorClaims.longContext(within, new double[]{NaN, Double.POSITIVE_INFINITY}, within, 0.1).outcome());
    }
}
