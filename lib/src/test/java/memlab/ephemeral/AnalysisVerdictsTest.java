package memlab.ephemeral;

import memlab.notebook.Outcome;
import memlab.stats.Finding;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The paper-specific verdicts of notebook 02 at their edges: errored sweeps, no explosions, all unstable, NaN, ties. */
class AnalysisVerdictsTest {
    private static final double NaN = Double.NaN;

    // ---------- eph-sweep ----------

    /** A sweep results table as read back from its CSV: one row per (lr, α, seed). outcome: s stable, x exploded, n loss >= 2, e error. */
    private static Table sweep(double[] lrs, double[] alphas, String... outcomes) {
        DoubleColumn lr = DoubleColumn.create("lr"), a = DoubleColumn.create("plasticity"), seed = DoubleColumn.create("seed"),
                acc = DoubleColumn.create("final_memory_accuracy");
        StringColumn status = StringColumn.create("status"), error = StringColumn.create("error"), stable = StringColumn.create("stable"),
                div = StringColumn.create("diverged");
        int k = 0;
        for (double l : lrs)
            for (double al : alphas) {
                String cell = outcomes[k++];
                for (int s = 0; s < cell.length(); s++) {
                    char c = cell.charAt(s);
                    lr.append(l); a.append(al); seed.append(s);
                    status.append(c == 'e' ? "error" : "ok");
                    error.append(c == 'e' ? "EngineException: boom" : "");
                    stable.append(c == 'e' ? "" : String.valueOf(c == 's'));
                    div.append(c == 'e' ? "" : String.valueOf(c == 'x'));
                    acc.append(c == 's' ? Math.log10(al) / 10 + s * 0.01 : c == 'e' ? NaN : 0.2);
                }
            }
        return Table.create("eph-sweep", lr, a, seed, status, error, acc, stable, div);
    }

    private static final double[] LRS = {1e-4, 2e-4, 4e-4}, ALPHAS = {1e3, 1e4, 1e5};

    @Test
    void boundaryThatFallsWithLrIsReproduced() {
        // lr 1e-4: stable up to 1e5; 2e-4: up to 1e4; 4e-4: up to 1e3 (columns = alphas)
        StabilityBoundary b = StabilityBoundary.of(sweep(LRS, ALPHAS, "ss", "ss", "ss", "ss", "ss", "xx", "ss", "xx", "xx"));
        assertArrayEquals(new double[]{1e5, 1e4, 1e3}, b.boundary(), 0);
        assertEquals(-1 / Math.log10(2), b.slope(), 1e-9);        // 2 interior points: 1e4 @ 2e-4, 1e3 @ 4e-4: one decade of α per doubling of lr
        Finding f = b.judge(100);
        assertEquals(Outcome.REPRODUCED, f.outcome(), f.text());
        assertTrue(f.text().contains("plasticity explains"), f.text());
        assertTrue(b.describeCounts().startsWith("of 18 runs: 12 stable, 6 exploded"), b.describeCounts());
    }

    @Test
    void boundaryEndingInNoStableCellStillFalls() {
        // the highest lr has no mostly-stable plasticity: that is below every plasticity, not "not monotone"
        StabilityBoundary b = StabilityBoundary.of(sweep(LRS, ALPHAS, "ss", "ss", "ss", "ss", "ss", "xx", "xx", "xx", "xx"));
        assertTrue(Double.isNaN(b.boundary()[2]));
        assertTrue(b.judge(100).text().startsWith("the boundary moves to lower plasticity as lr grows"), b.judge(100).text());
        // a boundary that rises with lr is not the paper's
        StabilityBoundary up = StabilityBoundary.of(sweep(LRS, ALPHAS, "ss", "xx", "xx", "ss", "ss", "xx", "ss", "ss", "ss"));
        assertTrue(up.judge(100).text().contains("rises"), up.judge(100).text());
        assertNotEquals(Outcome.REPRODUCED, up.judge(100).outcome());
    }

    @Test
    void noExplosionMeansNoBoundaryToTestAndNoNaNInTheText() {
        // every run ended with loss >= 2 (quick mode): 0 stable, 0 exploded
        StabilityBoundary b = StabilityBoundary.of(sweep(new double[]{1e-4, 4e-4}, new double[]{1e4, 1e5}, "nn", "nn", "nn", "nn"));
        Finding f = b.judge(20);
        assertEquals(Outcome.UNTESTABLE, f.outcome());
        assertTrue(f.text().contains("no run exploded in 20 steps"), f.text());
        assertTrue(f.text().contains("all 8 runs ended with loss ≥ 2 without exploding"), f.text());
        assertTrue(f.text().contains("fewer than 2 stable runs (0)"), f.text());
        assertFalse(f.text().contains("NaN"), f.text());
        assertFalse(f.text().contains("0 stable"), f.text());
        assertEquals(java.util.Map.of("loss >= 2", 8), b.counts());
        assertTrue(b.describeBoundary().contains("lr 1e-4: none"), b.describeBoundary());
    }

    @Test
    void erroredSweepSaysWhatHappened() {
        // all runs errored: the batched model threw, no result columns were ever written
        Table errored = Table.create("eph-sweep", DoubleColumn.create("lr", 1e-4, 1e-4), DoubleColumn.create("plasticity", 1e4, 1e4),
                DoubleColumn.create("seed", 0, 1), StringColumn.create("status", "error", "error"),
                StringColumn.create("error", "EngineException: out of memory", "EngineException: out of memory"));
        StabilityBoundary b = StabilityBoundary.of(errored);
        assertFalse(b.usable());
        assertTrue(b.problem().contains("2 runs errored") && b.problem().contains("out of memory"), b.problem());
        assertEquals(Outcome.UNTESTABLE, b.judge(20).outcome());
        assertEquals(ClipAtEdge.FALLBACK_LR, ClipAtEdge.edge(b).lr(), 0);
        // some runs errored: they are left out and counted
        StabilityBoundary some = StabilityBoundary.of(sweep(LRS, ALPHAS, "ss", "ss", "se", "ss", "ss", "xx", "ss", "xx", "xx"));
        assertEquals(1, some.errored());
        assertEquals(17, some.runs().rowCount());
        assertTrue(some.problem().contains("1 of 18 runs"), some.problem());
    }

    @Test
    void sweepThatThrewReadsTheCauseFromItsResultsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("eph-sweep-results.csv");
        java.nio.file.Files.writeString(file, "lr,plasticity,seed,status,error\n1.0E-4,10000.0,0,error,EngineException: out of memory\n"
                + "1.0E-4,10000.0,1,error,EngineException: out of memory\n");
        StabilityBoundary b = StabilityBoundary.failed(file, new IllegalStateException("Column diverged_at is not present"));
        assertFalse(b.usable());
        assertEquals(2, b.errored());
        assertTrue(b.problem().startsWith("the sweep produced no result: 2 runs errored (EngineException: out of memory (then: IllegalStateException"), b.problem());
        assertEquals(Outcome.UNTESTABLE, b.judge(20).outcome());
        StabilityBoundary noFile = StabilityBoundary.failed(dir.resolve("none.csv"), new IllegalStateException("boom"));
        assertTrue(noFile.problem().contains("IllegalStateException: boom"), noFile.problem());
        assertFalse(ClipAtEdge.edge(noFile).fromSweep());
        assertTrue(ClipAtEdge.edge(noFile).toString().startsWith("eph-sweep has no result"), ClipAtEdge.edge(noFile).toString());
    }

    // ---------- eph-clip ----------

    private static Table clip(double[] thresholds, String stable, double[] acc) {
        StringColumn c = StringColumn.create("clip"), s = StringColumn.create("stable"), seed = StringColumn.create("seed");
        DoubleColumn a = DoubleColumn.create("tail_memory_accuracy");
        for (int i = 0; i < thresholds.length; i++) {
            c.append(String.valueOf(thresholds[i])); s.append(String.valueOf(stable.charAt(i) == 's')); seed.append("0"); a.append(acc[i]);
        }
        return ClipAtEdge.forPlot(Table.create("eph-clip", c, s, seed, a));
    }

    private static final double[] TH = {0.01, 0.1, 1, 10, 100};

    @Test
    void clipAllUnstableIsUntestableNotInconclusive() {
        ClipAtEdge c = ClipAtEdge.of(clip(TH, "uuuuu", new double[]{NaN, NaN, NaN, NaN, NaN}));
        assertTrue(Double.isNaN(c.rhoStable()) && Double.isNaN(c.rhoAccuracy()));
        Finding f = c.judge();
        assertEquals(Outcome.UNTESTABLE, f.outcome());
        assertTrue(f.text().contains("none of the 5 runs was stable"), f.text());
        assertFalse(f.text().contains("inconclusive as in the paper"), f.text());
        // all stable: the setting is not at the edge
        assertTrue(ClipAtEdge.of(clip(TH, "sssss", new double[]{.5, .5, .5, .5, .5})).judge().text().contains("not at the edge"));
    }

    @Test
    void clipPatternOrNot() {
        Finding clear = ClipAtEdge.of(clip(TH, "uusss", new double[]{.1, .2, .3, .4, .5})).judge();
        assertEquals(Outcome.NOT_REPRODUCED, clear.outcome(), clear.text());
        Finding none = ClipAtEdge.of(clip(TH, "susus", new double[]{.3, .1, .5, .1, .3})).judge();
        assertEquals(Outcome.REPRODUCED, none.outcome(), none.text());
        Finding half = ClipAtEdge.of(clip(TH, "uuuuu", new double[]{.3, .1, .5, .1, .3})).judge();
        assertEquals(Outcome.PARTLY, half.outcome(), half.text());
    }

    @Test
    void edgeIsTheCellClosestToHalfExploded() {
        // lr 2e-4 / α 1e4: 1 of 2 exploded; lr 4e-4 / α 1e5: 2 of 2
        StabilityBoundary b = StabilityBoundary.of(sweep(LRS, ALPHAS, "ss", "ss", "ss", "ss", "sx", "xx", "ss", "xx", "xx"));
        ClipAtEdge.Edge e = ClipAtEdge.edge(b);
        assertEquals(2e-4, e.lr(), 0);
        assertEquals(1e4, e.plasticity(), 0);
        assertEquals(0.5, e.explodedShare(), 0);
        assertTrue(e.fromSweep());
        ClipAtEdge.Edge none = ClipAtEdge.edge(StabilityBoundary.of(sweep(LRS, ALPHAS, "ss", "ss", "ss", "ss", "ss", "ss", "ss", "ss", "ss")));
        assertFalse(none.fromSweep());
        assertTrue(none.toString().startsWith("no run of eph-sweep exploded"), none.toString());
        assertTrue(e.toString().contains("50% of its runs exploded"), e.toString());
    }

    // ---------- eph-configs ----------

    @Test
    void configCategoriesAreExact() {
        assertEquals(ConfigTable.Category.POOR, ConfigTable.ours(0.9, 0.6));      // most runs exploded
        assertEquals(ConfigTable.Category.FAIL, ConfigTable.ours(0.25, 0));       // at chance (0.2 + 0.1)
        assertEquals(ConfigTable.Category.POOR, ConfigTable.ours(0.35, 0));
        assertEquals(ConfigTable.Category.GOOD, ConfigTable.ours(0.7, 0));
        assertEquals(ConfigTable.Category.MIXED, ConfigTable.ours(0.7, 0.1));
        assertEquals(ConfigTable.Category.MIXED, ConfigTable.ours(0.5, 0));
        assertEquals(ConfigTable.Category.UNDEFINED, ConfigTable.ours(NaN, 0));
        assertEquals(ConfigTable.Category.FAIL, ConfigTable.paper("rnn", "dfa", true));
        assertEquals(ConfigTable.Category.MIXED, ConfigTable.paper("ephemeral", "bptt", true));
        assertThrows(IllegalArgumentException.class, () -> ConfigTable.paper("lstm", "dfa", true));
    }

    @Test
    void failAndPoorDoNotAgree() {
        // rnn/dfa: paper Fail; ours poor (0.35) -> disagree. ephemeral/dfa: paper Good, ours good. rnn/backprop -rec: paper Poor, ours fail
        Table t = Table.create("eph-configs", StringColumn.create("model", "rnn", "ephemeral", "rnn", "ephemeral"),
                StringColumn.create("updater", "dfa", "dfa", "backprop", "backprop"), StringColumn.create("recurrence", "true", "false", "false", "true"),
                DoubleColumn.create("final_memory_accuracy", 0.35, 0.9, 0.21, NaN), DoubleColumn.create("diverged_share", 0, 0, 0, 0));
        Table c = ConfigTable.compare(t);
        assertEquals(List.of("false", "true", "false", "n/a"), c.stringColumn("agree").asList());
        Finding f = ConfigTable.judge(c);
        assertEquals(Outcome.NOT_REPRODUCED, f.outcome(), f.text());
        assertTrue(f.text().startsWith("1 of 3 configurations"), f.text());
        assertTrue(f.text().contains("paper Fail, ours Poor"), f.text());
        assertTrue(f.text().contains("1 without a category"), f.text());
        assertEquals("rnn dfa +rec (paper: Fail)", ConfigTable.names(c).get(0));
    }

    // ---------- eph-curves ----------

    /** Curves of one task: per label and seed, `steps` steps of memory accuracy rising linearly to `top`, loss = `loss`. */
    private static Table curves(String task, Object[][] groups, int steps) {
        StringColumn tk = StringColumn.create("task"), label = StringColumn.create("label"), div = StringColumn.create("diverged");
        DoubleColumn seed = DoubleColumn.create("seed"), loss = DoubleColumn.create("loss"), mem = DoubleColumn.create("memory_accuracy");
        IntColumn step = IntColumn.create("step");
        for (Object[] g : groups)
            for (int s = 0; s < 2; s++)
                for (int i = 0; i < steps; i++) {
                    tk.append(task); label.append((String) g[0]); seed.append(s); step.append(i); div.append(String.valueOf(g[3]));
                    loss.append((double) g[2]); mem.append((double) g[1] * i / (steps - 1));
                }
        return Table.create("c", tk, label, seed, step, loss, mem, div);
    }

    @Test
    void curvesClaimInThreeParts() {
        Table c = curves("key-recall", new Object[][]{{"rnn lr 1.0E-4", 0.5, 1.0, false}, {"rnn lr 0.001", 1.0, 0.5, false},
                {"ephemeral lr 1.0E-4 α 10000.0 γ 0.7", 1.0, 1.5, false}, {"ephemeral lr 1.0E-4 α 10000.0 γ 0.5", 0.3, 1.5, false}}, 20);
        Table runs = LearningCurves.runs(c, 0.9, 2, 1);
        assertEquals(8, runs.rowCount());
        Finding f = LearningCurves.judge(runs, "key-recall", 0.9);
        assertEquals(Outcome.REPRODUCED, f.outcome(), f.text());
        assertTrue(f.text().contains("γ 0.7"), f.text());
        Table s = LearningCurves.summary(runs);
        assertEquals(4, s.rowCount());
        // neither reaches the level: the "earlier" part is untestable, the others still decide; equal losses are within tolerance
        Table flat = curves("key-recall", new Object[][]{{"rnn lr 1.0E-4", 0.3, 1.0, false}, {"rnn lr 0.001", 0.3, 1.0, true},
                {"ephemeral lr 1.0E-4 α 10000.0 γ 0.7", 0.3, 1.0, false}}, 20);
        Finding g = LearningCurves.judge(LearningCurves.runs(flat, 0.9, 2, 1), "key-recall", 0.9);
        assertEquals(Outcome.NOT_REPRODUCED, g.outcome(), g.text());
        assertTrue(g.text().contains("neither the ephemeral model nor the baseline at lr 1e-4 reached memory accuracy 0.9 (0 of 2 and 0 of 2 runs) (untestable)"), g.text());
        assertTrue(g.text().contains("within the tolerance"), g.text());
        assertTrue(g.text().contains("diverged in 2 of 2 runs"), g.text());
        assertFalse(g.text().contains("NaN"), g.text());
        assertEquals(Outcome.UNTESTABLE, LearningCurves.judge(LearningCurves.runs(flat, 0.9, 2, 1), "repeated", 0.9).outcome());
        // over every task: the parts of both tasks in one finding
        Table both = c.copy().append(curves("repeated", new Object[][]{{"rnn lr 1.0E-4", 0.3, 1.0, false}, {"rnn lr 0.001", 0.3, 1.0, true},
                {"ephemeral lr 1.0E-4 α 10000.0 γ 0.7", 0.3, 1.0, false}}, 20));
        Finding all = LearningCurves.judge(LearningCurves.runs(both, 0.9, 2, 1), 0.9);
        assertEquals(Outcome.PARTLY, all.outcome(), all.text());
        assertEquals(6, java.util.regex.Pattern.compile("\\((reproduced|not reproduced|untestable)\\)").matcher(all.text()).results().count(), all.text());
    }

    // ---------- eph-volatility, eph-gradnorms, eph-separation, eph-warning ----------

    @Test
    void volatility() {
        Table c = curves("palindromes", new Object[][]{{"rnn lr 0.001", 0.8, 1.0, false}, {"ephemeral lr 1.0E-4 α 10000.0 γ 0.7", 0.7, 1.0, true}}, 20);
        Table runs = Volatility.runs(c, 2, 2);
        assertEquals(List.of("false", "false", "true", "true"), runs.stringColumn("collapsed").asList());
        assertEquals(Outcome.REPRODUCED, Volatility.judge(runs).outcome());
        assertTrue(Volatility.describe(runs).contains("sample sd"));
        Table noEph = Volatility.runs(curves("palindromes", new Object[][]{{"rnn lr 0.001", 0.8, 1.0, false}}, 20), 2, 2);
        assertEquals(Outcome.PARTLY, Volatility.judge(noEph).outcome(), Volatility.judge(noEph).text());
    }

    private static Table gradnorms(double lr, boolean exploded, double hiStart, double hiEnd) {
        int n = 20;
        DoubleColumn l = DoubleColumn.create("lr"), seed = DoubleColumn.create("seed"), hi = DoubleColumn.create(EphemeralNet.GRAD_HIGH),
                lo = DoubleColumn.create(EphemeralNet.GRAD_LOW), ra = DoubleColumn.create(EphemeralNet.GRAD_RATIO);
        StringColumn d = StringColumn.create("diverged");
        for (int i = 0; i < n; i++) {
            double h = hiStart + (hiEnd - hiStart) * i / (n - 1);
            l.append(lr); seed.append(0); hi.append(h); lo.append(h / 10); ra.append(10); d.append(String.valueOf(exploded));
        }
        return Table.create("gn", l, seed, d, hi, lo, ra);
    }

    @Test
    void gradientGrowth() {
        assertEquals(2, GradientGrowth.growth(new double[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 99}), 1e-12);   // last (diverging) step left out
        assertTrue(Double.isNaN(GradientGrowth.growth(new double[0])));
        Table quiet = GradientGrowth.runs(gradnorms(1e-4, false, 1, 1).append(gradnorms(2e-4, false, 1, 1)));
        Finding none = GradientGrowth.judge(quiet, 1e-4, 2e-4, 20);
        assertEquals(Outcome.UNTESTABLE, none.outcome());
        assertTrue(none.text().contains("no run exploded within 20 steps"), none.text());
        Table boom = GradientGrowth.runs(gradnorms(1e-4, false, 1, 1).append(gradnorms(2e-4, true, 1, 5)));
        assertEquals(Outcome.REPRODUCED, GradientGrowth.judge(boom, 1e-4, 2e-4, 20).outcome(), GradientGrowth.judge(boom, 1e-4, 2e-4, 20).text());
        assertTrue(GradientGrowth.describe(boom).contains("lr 2e-4"));
    }

    @Test
    void gradientSeparation() {
        Table sep = Table.create("sep", IntColumn.create("step", 0, 1, 2, 3), DoubleColumn.create("seed", 0, 0, 0, 0),
                DoubleColumn.create(EphemeralNet.GRAD_HIGH, 10, 30, 5, 20), DoubleColumn.create(EphemeralNet.GRAD_LOW, 1, 1.1, 0.9, 1));
        Table runs = GradientSeparation.runs(sep);
        assertEquals(1, runs.doubleColumn("share_high_above").getDouble(0), 0);
        assertEquals(Outcome.REPRODUCED, GradientSeparation.judge(runs).outcome(), GradientSeparation.judge(runs).text());
        assertTrue(GradientSeparation.judge(runs).text().startsWith("the high-plasticity norm lies above the low one in 100% of steps in every one of the 1 runs"),
                GradientSeparation.judge(runs).text());
        assertEquals(8, GradientSeparation.longForm(sep).rowCount());
        Table nan = Table.create("sep", IntColumn.create("step", 0, 1), DoubleColumn.create("seed", 0, 0),
                DoubleColumn.create(EphemeralNet.GRAD_HIGH, NaN, NaN), DoubleColumn.create(EphemeralNet.GRAD_LOW, 1, 1));
        assertEquals(Outcome.UNTESTABLE, GradientSeparation.judge(GradientSeparation.runs(nan)).outcome());
        assertTrue(Double.isNaN(GradientSeparation.cv(new double[]{3})));
    }

    @Test
    void warningIndicator() {
        Table none = Table.create("w", DoubleColumn.create("factor", 1.5, 2), IntColumn.create("exploded", 0, 0), IntColumn.create("stable", 8, 8),
                DoubleColumn.create("hit_rate", NaN, NaN), DoubleColumn.create("false_alarm_rate", 0.125, 0), DoubleColumn.create("median_lead", NaN, NaN));
        assertEquals(Outcome.UNTESTABLE, WarningIndicator.judge(none).outcome());
        Table some = Table.create("w", DoubleColumn.create("factor", 1.5, 2), IntColumn.create("exploded", 4, 4), IntColumn.create("stable", 0, 0),
                DoubleColumn.create("hit_rate", 0.5, 0.75), DoubleColumn.create("false_alarm_rate", NaN, NaN), DoubleColumn.create("median_lead", 3, 2));
        assertEquals(1, WarningIndicator.best(some));
        Finding f = WarningIndicator.judge(some);
        assertEquals(Outcome.REPRODUCED, f.outcome(), f.text());
        assertTrue(f.text().contains("no run that stayed stable"), f.text());
        assertEquals(4, WarningIndicator.longForm(some).rowCount());
    }
}
