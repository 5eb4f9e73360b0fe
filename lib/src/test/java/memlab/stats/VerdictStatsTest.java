package memlab.stats;

import memlab.notebook.Outcome;
import memlab.stats.Difference.Direction;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import static org.junit.jupiter.api.Assertions.*;

/** The statistics verdicts are computed with, at their edges: all NaN, ties, empty groups, zero differences, one sample. */
class VerdictStatsTest {
    private static final double NaN = Double.NaN;

    @Test
    void spreadIsTheSampleSdAndSaysSo() {
        Spread s = Spread.of(2, 4, 4, 4, 5, 5, 7, 9);              // population sd 2, sample sd sqrt(32/7)
        assertEquals(Math.sqrt(32.0 / 7), s.std(), 1e-12);
        assertTrue(s.toString().contains("sample sd"), s.toString());
        Spread one = Spread.of(3, NaN);
        assertEquals(1, one.n());
        assertTrue(Double.isNaN(one.std()), "one value has no sample sd");
        assertEquals("3 (n=1, no sample sd)", one.toString());
        Spread none = Spread.of(NaN, Double.POSITIVE_INFINITY);
        assertTrue(none.isEmpty());
        assertEquals("n/a (no finite values)", none.toString());
        assertEquals(0, Spread.of(5, 5, 5).std(), 0);               // ties: zero spread, not NaN
        assertFalse(Spread.of().separatedFrom(Spread.of(1)));
    }

    @Test
    void median() {
        assertEquals(2, Spread.median(3, 1, 2, NaN), 0);
        assertEquals(2.5, Spread.median(4, 1, 2, 3), 0);
        assertTrue(Double.isNaN(Spread.median()));
        assertTrue(Double.isNaN(Spread.median(NaN, NaN)));
    }

    @Test
    void differenceDirections() {
        Difference lower = Difference.of(new double[]{1, 1.1, 0.9}, new double[]{2, 2.1, 1.9}, 0.05);
        assertEquals(Direction.LOWER, lower.direction());
        assertEquals(-1, lower.delta(), 1e-12);
        assertTrue(lower.separated());
        assertEquals(Outcome.REPRODUCED, lower.against(Direction.LOWER));
        assertEquals(Outcome.NOT_REPRODUCED, lower.against(Direction.HIGHER));
        assertEquals(Direction.HIGHER, Difference.of(new double[]{2}, new double[]{1}, 0).direction());
    }

    @Test
    void zeroDifferenceIsNoEffectWithinTolerance() {
        Difference same = Difference.of(new double[]{0.5, 0.5}, new double[]{0.5, 0.5}, 0);
        assertEquals(Direction.WITHIN_TOLERANCE, same.direction());
        assertEquals(0, same.delta(), 0);
        assertFalse(same.separated());
        assertEquals(Outcome.NOT_REPRODUCED, same.against(Direction.LOWER));
        // a tiny difference inside the tolerance is no effect, not "lower by 0.000"
        Difference tiny = Difference.of(new double[]{0.3501}, new double[]{0.3502}, 0.01);
        assertEquals(Direction.WITHIN_TOLERANCE, tiny.direction());
        assertTrue(tiny.describe("final loss", "on", "off").contains("within the tolerance 0.01"), tiny.describe("final loss", "on", "off"));
        // exactly at the tolerance counts as no effect
        assertEquals(Direction.WITHIN_TOLERANCE, Difference.of(new double[]{1}, new double[]{1.5}, 0.5).direction());
    }

    @Test
    void emptyOrAllNaNGroupIsUntestable() {
        Difference allNaN = Difference.of(new double[]{NaN, NaN}, new double[]{1, 2}, 0.1);
        assertEquals(Direction.UNTESTABLE, allNaN.direction());
        assertTrue(Double.isNaN(allNaN.delta()));
        assertEquals(Outcome.UNTESTABLE, allNaN.against(Direction.LOWER));
        String words = allNaN.describe("final loss", "ephemeral", "rnn");
        assertTrue(words.contains("untestable") && words.contains("ephemeral has no finite value"), words);
        assertFalse(words.contains("NaN"), words);
        assertEquals(Direction.UNTESTABLE, Difference.of(new double[0], new double[0], 0).direction());
        assertTrue(Difference.of(new double[0], new double[0], 0).describe("x", "a", "b").contains("a and b have"));
        // NaN runs are left out, the rest still decide
        assertEquals(Direction.LOWER, Difference.of(new double[]{1, NaN}, new double[]{3, Double.POSITIVE_INFINITY}, 0.1).direction());
    }

    @Test
    void differenceRejectsBadTolerance() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Difference.of(new double[]{1}, new double[]{1}, NaN));
        assertTrue(e.getMessage().contains("tolerance"));
        assertThrows(IllegalArgumentException.class, () -> Difference.of(new double[]{1}, new double[]{1}, -1));
        assertThrows(IllegalArgumentException.class, () -> Difference.of(new double[]{1}, new double[]{1}, 0).against(Direction.UNTESTABLE));
    }

    @Test
    void averageRanksShareTies() {
        assertArrayEquals(new double[]{0, 1.5, 1.5, 3}, Correlation.averageRanks(new double[]{1, 5, 5, 9}), 0);
        assertArrayEquals(new double[]{1, 1, 1}, Correlation.averageRanks(new double[]{7, 7, 7}), 0);
        double[] r = Correlation.averageRanks(new double[]{2, NaN, 1});
        assertEquals(1, r[0], 0);
        assertTrue(Double.isNaN(r[1]));
        assertEquals(0, r[2], 0);
    }

    @Test
    void spearmanIsMonotoneCorrelationAndNaNWhenUndefined() {
        double[] x = {0.01, 0.1, 1, 10, 100};
        assertEquals(1, Correlation.spearman(x, new double[]{1, 4, 9, 16, 1000}), 1e-12);   // monotone, not linear
        assertEquals(-1, Correlation.spearman(x, new double[]{5, 4, 3, 2, 1}), 1e-12);
        // ties: independent check against Pearson of hand-computed average ranks
        double[] y = {0, 0, 1, 1, 1};                                                        // ranks 0.5 0.5 3 3 3
        assertEquals(Correlation.pearson(new double[]{0, 1, 2, 3, 4}, new double[]{0.5, 0.5, 3, 3, 3}), Correlation.spearman(x, y), 1e-12);
        // undefined: a constant series (every run stable), all NaN, fewer than 3 finite pairs
        assertTrue(Double.isNaN(Correlation.spearman(x, new double[]{0, 0, 0, 0, 0})));
        assertTrue(Double.isNaN(Correlation.spearman(x, new double[]{NaN, NaN, NaN, NaN, NaN})));
        assertTrue(Double.isNaN(Correlation.spearman(x, new double[]{1, 2, NaN, NaN, NaN})));
        assertTrue(Double.isNaN(Correlation.spearman(new double[0], new double[0])));
        // NaN pairs are dropped before ranking: the rest is still perfectly monotone
        assertEquals(1, Correlation.spearman(x, new double[]{1, NaN, 2, 3, 4}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Correlation.spearman(new double[2], new double[3]));
    }

    @Test
    void etaSquaredOfAOneWayLayout() {
        // groups a: {1, 3} (mean 2), b: {5, 7} (mean 6); grand mean 4; SS_total 20, SS_between 16
        assertEquals(0.8, EffectSize.etaSquared(new double[]{1, 3, 5, 7}, new Object[]{"a", "a", "b", "b"}), 1e-12);
        assertEquals(1, EffectSize.etaSquared(new double[]{1, 1, 5, 5}, new Object[]{"a", "a", "b", "b"}), 1e-12);
        assertEquals(0, EffectSize.etaSquared(new double[]{1, 5, 1, 5}, new Object[]{"a", "a", "b", "b"}), 1e-12);
        // undefined: no variance at all (ties), one value, all NaN, empty
        assertTrue(Double.isNaN(EffectSize.etaSquared(new double[]{2, 2, 2}, new Object[]{"a", "b", "c"})));
        assertTrue(Double.isNaN(EffectSize.etaSquared(new double[]{2}, new Object[]{"a"})));
        assertTrue(Double.isNaN(EffectSize.etaSquared(new double[]{NaN, NaN}, new Object[]{"a", "b"})));
        assertTrue(Double.isNaN(EffectSize.etaSquared(new double[0], new Object[0])));
        // NaN values are left out (their group loses them): same as without them
        assertEquals(0.8, EffectSize.etaSquared(new double[]{1, 3, NaN, 5, 7}, new Object[]{"a", "a", "c", "b", "b"}), 1e-12);
        Table t = Table.create("t", StringColumn.create("g", "a", "a", "b", "b"), DoubleColumn.create("y", 1, 3, 5, 7));
        assertEquals(0.8, EffectSize.etaSquared(t, "g", "y"), 1e-12);
    }

    @Test
    void gridMeansHaveEmptyCellsAsNaN() {
        Table t = Table.create("runs", DoubleColumn.create("lr", 1e-4, 1e-4, 2e-4, 2e-4, 1e-4),
                StringColumn.create("alpha", "1000.0", "1000.0", "1000.0", "1e5", "1e5"),          // a column the CSV reader left as text
                DoubleColumn.create("acc", 0.5, 0.7, NaN, 0.9, 0.2));
        GridMeans g = GridMeans.of(t, "lr", "alpha", "acc");
        assertArrayEquals(new double[]{1e-4, 2e-4}, g.xs(), 0);
        assertArrayEquals(new double[]{1e3, 1e5}, g.ys(), 0);
        assertEquals(0.6, g.at(1e-4, 1e3), 1e-12);
        assertEquals(2, g.count()[0][0]);
        assertTrue(Double.isNaN(g.at(2e-4, 1e3)), "all-NaN cell");
        assertEquals(0, g.count()[0][1]);
        assertEquals(0.9, g.at(2e-4, 1e5), 0);
        assertTrue(Double.isNaN(g.at(3e-4, 1e3)), "not in the grid");
        assertEquals(java.util.List.of("1e-4", "2e-4"), g.xLabels());
        assertEquals(java.util.List.of("1000", "1e5"), g.yLabels());
        assertTrue(g.format("lr", "α").contains("n/a"));
        GridMeans empty = GridMeans.of(Table.create("e", DoubleColumn.create("lr"), DoubleColumn.create("alpha"), DoubleColumn.create("acc")), "lr", "alpha", "acc");
        assertEquals(0, empty.xs().length);
    }

    @Test
    void compactNumbers() {
        assertEquals("0.352", Numbers.compact(0.35199999999999998));
        assertEquals("1e-4", Numbers.compact(1.0E-4));
        assertEquals("2.5e-5", Numbers.compact(2.5e-5));
        assertEquals("1e5", Numbers.compact(100000.0));
        assertEquals("10000", Numbers.compact(10000.0));
        assertEquals("0.001", Numbers.compact(0.001));
        assertEquals("-3.14", Numbers.compact(-3.14159));
        assertEquals("0", Numbers.compact(0.0));
        assertEquals("NaN", Numbers.compact(NaN));
        assertEquals("Inf", Numbers.compact(Double.POSITIVE_INFINITY));
        assertEquals("38%", Numbers.percent(0.375));
        assertEquals("n/a", Numbers.percent(NaN));
        Table t = Numbers.rounded(Table.create("t", DoubleColumn.create("x", 0.35199999999999998, NaN), StringColumn.create("s", "a", "b")), 3);
        assertEquals(0.352, t.doubleColumn("x").getDouble(0), 0);
        assertTrue(Double.isNaN(t.doubleColumn("x").getDouble(1)));
        assertEquals("a", t.getString(0, "s"));
        assertThrows(IllegalArgumentException.class, () -> Numbers.compact(1, 0));
        assertEquals("ephemeral lr 1e-4 α 10000 γ 0.7", Numbers.compactText("ephemeral lr 1.0E-4 α 10000.0 γ 0.7"));
        assertEquals("rnn lr 0.001 seed 3 on eph-curves v2.1.3", Numbers.compactText("rnn lr 0.001 seed 3 on eph-curves v2.1.3"));
        assertEquals("α 1e5, lr 2.5e-5", Numbers.compactText("α 100000.0, lr 2.5E-5"));
        Table labels = Numbers.compactLabels(Table.create("l", StringColumn.create("label", "rnn lr 1.0E-4")), "label");
        assertEquals("rnn lr 1e-4", labels.getString(0, "label"));
    }
}
