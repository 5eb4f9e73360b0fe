package memlab.ephemeral;

import memlab.notebook.Outcome;
import memlab.stats.Finding;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** eph-budget read back from made-up sweeps whose outcome at every budget is known. */
class StabilityOverBudgetTest {
    static final double[][] CELLS = {{1e-4, 1e4}, {1e-4, 1e5}, {2e-4, 1e4}, {2e-4, 1e5}};

    /**
     * A sweep of the four cells, one seed each, recorded every step for {@code steps} steps: run r has
     * loss {@code loss[r]} throughout and explodes (last row, loss NaN) at {@code explodeAt[r]} (-1: never).
     */
    static EphemeralExperiment.SweepResult sweep(int steps, double[] loss, int[] explodeAt) {
        Table results = Table.create("r", DoubleColumn.create("lr"), DoubleColumn.create("plasticity"), DoubleColumn.create("seed"));
        IntColumn run = IntColumn.create("run"), step = IntColumn.create("step");
        DoubleColumn l = DoubleColumn.create("loss");
        for (int r = 0; r < CELLS.length; r++) {
            results.doubleColumn("lr").append(CELLS[r][0]);
            results.doubleColumn("plasticity").append(CELLS[r][1]);
            results.doubleColumn("seed").append(0);
            for (int s = 0; s < steps; s++) {
                boolean boom = s == explodeAt[r];
                run.append(r);
                step.append(s);
                l.append(boom ? Double.NaN : loss[r]);
                if (boom) break;
            }
        }
        return new EphemeralExperiment.SweepResult(results, Table.create("c", run, step, l), explodeAt.clone());
    }

    @Test
    void budgetsAreOneTwoFiveFromTwentyBlocks() {
        assertArrayEquals(new int[]{20, 50, 100, 200, 500, 1000, 2000}, StabilityOverBudget.budgets(2000, 1));
        assertArrayEquals(new int[]{2000, 5000, 10_000, 20_000, 50_000, 100_000}, StabilityOverBudget.budgets(100_000, 100));
        assertArrayEquals(new int[]{20}, StabilityOverBudget.budgets(20, 1));
        assertArrayEquals(new int[]{10}, StabilityOverBudget.budgets(10, 1), "a run shorter than 20 blocks: its length only");
        assertThrows(IllegalArgumentException.class, () -> StabilityOverBudget.budgets(0, 1));
    }

    /** The paper's boundary appears only after the high-lr, high-plasticity run explodes at step 30. */
    @Test
    void boundaryAppearsWithTheBudget() {
        StabilityOverBudget b = StabilityOverBudget.of(sweep(100, new double[]{1, 1, 1, 1}, new int[]{-1, -1, -1, 30}), 20, 50, 100);
        assertArrayEquals(new int[]{20, 50, 100}, b.budgets());
        assertArrayEquals(new double[]{1, 0.75, 0.75}, b.share(StabilityBoundary.STABLE), 1e-12);
        assertArrayEquals(new double[]{0, 0.25, 0.25}, b.share(StabilityBoundary.EXPLODED), 1e-12);
        assertEquals(Outcome.UNTESTABLE, b.at().get(0).shape(20).outcome(), "nothing exploded by step 20");
        Finding f = b.judge();
        assertEquals(Outcome.REPRODUCED, f.outcome(), f.text());
        assertTrue(f.text().contains("first exploded run by 50 steps") && f.text().contains("first at 50 steps"), f.text());
        Table at50 = b.boundaries().where(b.boundaries().intColumn("budget").isEqualTo(50));
        assertArrayEquals(new double[]{1e5, 1e4}, at50.doubleColumn("boundary").asDoubleArray(), 0, "lr 1e-4 keeps α 1e5, lr 2e-4 only 1e4");
    }

    @Test
    void noExplosionIsUntestableWithTheBudgetReached() {
        StabilityOverBudget b = StabilityOverBudget.of(sweep(100, new double[]{1, 3, 1, 3}, new int[]{-1, -1, -1, -1}), StabilityOverBudget.budgets(100, 1));
        Finding f = b.judge();
        assertEquals(Outcome.UNTESTABLE, f.outcome());
        assertTrue(f.text().contains("within 100 steps"), f.text());
        assertArrayEquals(new double[]{0.5, 0.5, 0.5}, b.share(StabilityBoundary.NOT_LEARNT), 1e-12, "loss 3: not learnt");
    }

    /** The boundary the wrong way round (the low lr explodes at high plasticity, the high lr does not): not reproduced. */
    @Test
    void wrongShapeIsNotReproduced() {
        Finding f = StabilityOverBudget.of(sweep(100, new double[]{1, 1, 1, 1}, new int[]{-1, 10, -1, -1}), 20, 100).judge();
        assertEquals(Outcome.NOT_REPRODUCED, f.outcome(), f.text());
        assertTrue(f.text().contains("never has the paper's shape"), f.text());
    }

    /** Final loss at a budget = mean over its last 5% of steps: a run that learns late is stable only at the later budget. */
    @Test
    void finalLossIsReadAtEachBudget() {
        EphemeralExperiment.SweepResult s = sweep(200, new double[]{1, 1, 1, 1}, new int[]{-1, -1, -1, -1});
        DoubleColumn loss = s.curves().doubleColumn("loss");
        for (int i = 0; i < loss.size(); i++) if (s.curves().intColumn("run").getInt(i) == 0 && s.curves().intColumn("step").getInt(i) < 100) loss.set(i, 5.0);
        StabilityOverBudget b = StabilityOverBudget.of(s, 100, 200);
        assertArrayEquals(new double[]{0.25, 0}, b.share(StabilityBoundary.NOT_LEARNT), 1e-12);
    }

    @Test
    void budgetsBeyondTheRecordAreLeftOut() {
        StabilityOverBudget b = StabilityOverBudget.of(sweep(50, new double[]{1, 1, 1, 1}, new int[]{-1, -1, -1, 30}), 20, 50, 100, 1000);
        assertArrayEquals(new int[]{20, 50}, b.budgets());
        StabilityOverBudget none = StabilityOverBudget.of(sweep(10, new double[]{1, 1, 1, 1}, new int[]{-1, -1, -1, -1}), 20);
        assertEquals(0, none.budgets().length);
        assertEquals(Outcome.UNTESTABLE, none.judge().outcome());
        assertTrue(none.describe().isEmpty());
    }

    @Test
    void allExplodedHasNoStableCell() {
        Finding f = StabilityOverBudget.of(sweep(100, new double[]{1, 1, 1, 1}, new int[]{5, 6, 7, 8}), 20, 100).judge();
        assertEquals(Outcome.UNTESTABLE, f.outcome(), f.text());
        assertTrue(f.text().contains("no (lr, plasticity) cell has most of its runs stable"), f.text());
    }

    /** The long-mode figures end to end at a tiny size: sweep, budget reading, volatility; a second call resumes from the checkpoints. */
    @Test
    void longModeEndToEndAndResumes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        EphemeralExperiment.Scale scale = new EphemeralExperiment.Scale(8, 1, 4, 1);
        EphemeralExperiment.LongBudget budget = new EphemeralExperiment.LongBudget(40, 2, 10, 1, dir);
        EphemeralExperiment.SweepGrid grid = EphemeralExperiment.SweepGrid.around(scale, budget);
        EphemeralExperiment.SweepResult first = EphemeralExperiment.ephSweepLong(grid, budget, null);
        assertEquals(12, first.results().rowCount());
        assertEquals(12 * 20, first.curves().rowCount() + divergedRowsMissing(first, 20), "20 rows per run (fewer for a run that exploded)");
        StabilityOverBudget b = StabilityOverBudget.of(first, StabilityOverBudget.budgets(40, 2));
        assertArrayEquals(new int[]{40}, b.budgets());
        EphemeralExperiment.SweepResult again = EphemeralExperiment.ephSweepLong(grid, budget, null);
        assertEquals(first.results().toString(), again.results().toString(), "resumed from the final checkpoint: the same results");
        assertTrue(java.nio.file.Files.exists(dir.resolve("eph-sweep.ckpt")));
        Table vol = EphemeralExperiment.ephVolatility(scale, budget, null);
        assertEquals(List.of("ephemeral", "rnn"), new ArrayList<>(vol.stringColumn("label").asList().stream().map(s -> s.split(" ")[0]).distinct().sorted().toList()));
        assertTrue(vol.intColumn("step").max() == 39 || vol.stringColumn("diverged").contains("true"));
        assertNotNull(EphemeralExperiment.ephWarning(first, 2));
        Table fac = EphemeralExperiment.ephFactorial(scale, budget, null);
        assertEquals(16, fac.rowCount(), "γ 0.7/0.99 × fraction 0.1/0.2 × init uniform/zero × activation relu/gelu × 1 seed");
        assertEquals(List.of(0.7, 0.99), fac.doubleColumn("forget_rate").unique().asList().stream().sorted().toList());
        assertEquals(List.of("uniform", "zero_weights"), fac.stringColumn("init").unique().asList().stream().sorted().toList());
        assertEquals(List.of("gelu", "relu"), fac.stringColumn("activation").unique().asList().stream().sorted().toList());
        assertEquals(List.of(2e-4), fac.doubleColumn("lr").unique().asList());
        for (String id : List.of("relu", "gelu")) assertTrue(java.nio.file.Files.exists(dir.resolve("eph-factorial-" + id + ".ckpt")), id);
        Table sum = EphemeralExperiment.factorialSummary(fac);
        assertEquals(16, sum.rowCount());
        assertEquals(List.of("forget_rate", "fraction", "lr", "init", "activation", "runs", "stable", "exploded", "not_learnt", "memory_accuracy"),
                sum.columnNames());
        assertEquals(16, sum.intColumn("stable").sum() + sum.intColumn("exploded").sum() + sum.intColumn("not_learnt").sum());
        Table effects = EphemeralExperiment.factorialEffects(fac);
        assertEquals(8, effects.rowCount(), "4 switches × 2 values");
        for (int i = 0; i < 8; i++) assertEquals(8, effects.intColumn("runs").getInt(i), "half of the runs per value");
        assertEquals(fac.toString(), EphemeralExperiment.ephFactorial(scale, budget, null).toString(), "resumed from the final checkpoints: the same runs");
    }

    /** The summaries count by hand: stable, exploded, neither, and the mean memory accuracy, per setting and per switch. */
    @Test
    void factorialSummariesByHand() {
        Table fac = Table.create("f", tech.tablesaw.api.DoubleColumn.create("forget_rate", 0.7, 0.7, 0.99, 0.99),
                tech.tablesaw.api.DoubleColumn.create("fraction", 0.1, 0.1, 0.1, 0.1), tech.tablesaw.api.DoubleColumn.create("lr", 2e-4, 2e-4, 2e-4, 2e-4),
                tech.tablesaw.api.StringColumn.create("init", "uniform", "uniform", "uniform", "zero_weights"),
                tech.tablesaw.api.StringColumn.create("activation", "relu", "relu", "gelu", "gelu"),
                tech.tablesaw.api.DoubleColumn.create("final_memory_accuracy", 0.2, 0.4, 0.6, 1.0),
                tech.tablesaw.api.StringColumn.create("stable", "true", "false", "false", "true"),
                tech.tablesaw.api.StringColumn.create("diverged", "false", "true", "false", "false"));
        Table sum = EphemeralExperiment.factorialSummary(fac);
        assertEquals(3, sum.rowCount());
        assertEquals(List.of(2, 1, 1), sum.intColumn("runs").asList());
        assertEquals(List.of(1, 0, 1), sum.intColumn("stable").asList());
        assertEquals(List.of(1, 0, 0), sum.intColumn("exploded").asList());
        assertEquals(List.of(0, 1, 0), sum.intColumn("not_learnt").asList());
        assertEquals(0.3, sum.doubleColumn("memory_accuracy").get(0), 1e-12);
        Table eff = EphemeralExperiment.factorialEffects(fac);
        assertEquals(List.of("forget_rate", "forget_rate", "fraction", "init", "init", "activation", "activation"), eff.stringColumn("switch").asList());
        Table gelu = eff.where(eff.stringColumn("value").isEqualTo("gelu"));
        assertEquals(2, gelu.intColumn("runs").getInt(0));
        assertEquals(1, gelu.intColumn("stable").getInt(0));
        assertEquals(1, gelu.intColumn("not_learnt").getInt(0));
        assertEquals(0.8, gelu.doubleColumn("memory_accuracy").get(0), 1e-12);
    }

    private static int divergedRowsMissing(EphemeralExperiment.SweepResult s, int rows) {
        int missing = 0;
        for (int r = 0; r < s.results().rowCount(); r++) missing += rows - s.curves().where(s.curves().intColumn("run").isEqualTo(r)).rowCount();
        return missing;
    }
}
