package memlab.ephemeral;

import memlab.tasks.chars.KeyRecall;
import memlab.train.Divergence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The figure drivers produce the promised tables at a tiny scale; the early-warning rule scores as documented. */
class ExperimentSmokeTest {
    static final EphemeralExperiment.Scale TINY = new EphemeralExperiment.Scale(8, 1, 4, 2);

    @Test
    void sweepIsOneBatchedModelWithResultsAndCurves(@TempDir Path dir) {
        EphemeralExperiment.SweepGrid grid = new EphemeralExperiment.SweepGrid(new double[]{1e-4, 1e-1}, new double[]{1e3, 1e6}, 2, 0.1, 0.7,
                ModelConfig.ephemeral(8, 1).withUpdater(Updater.BACKPROP), 4);
        EphemeralExperiment.SweepResult r = EphemeralExperiment.ephSweep(grid, dir.resolve("eph-sweep.csv"), null);
        assertEquals(8, r.results().rowCount());
        for (String c : List.of("lr", "plasticity", "seed", "final_loss", "stable", "diverged", "diverged_at", "final_memory_accuracy"))
            assertTrue(r.results().columnNames().contains(c), c + " in " + r.results().columnNames());
        assertEquals(8, r.divergedAt().length);
        assertTrue(r.curves().columnNames().contains(EphemeralNet.GRAD_RATIO));
        assertNotNull(EphemeralExperiment.ephWarning(r, 1));

        // a rerun trains nothing and still has the same curves and explosion steps (eph-warning needs them)
        EphemeralExperiment.SweepResult again = EphemeralExperiment.ephSweep(grid, dir.resolve("eph-sweep.csv"), null);
        assertEquals(r.curves().rowCount(), again.curves().rowCount());
        assertArrayEquals(r.divergedAt(), again.divergedAt());
        // a longer run of the same grid shares the results file but neither its results nor its curves
        EphemeralExperiment.SweepGrid longer = new EphemeralExperiment.SweepGrid(grid.lrs(), grid.plasticities(), 2, 0.1, 0.7, grid.model(), 6);
        EphemeralExperiment.SweepResult other = EphemeralExperiment.ephSweep(longer, dir.resolve("eph-sweep.csv"), null);
        assertEquals(8, other.results().rowCount());
        assertTrue(other.curves().intColumn("step").max() >= 4, "its own, longer curves");
        assertEquals(0, other.curves().where(other.curves().intColumn("run").isLessThan(0)).rowCount());
    }

    @Test
    void aFailedBatchSaysWhatHappenedAndRunsAgainNextTime(@TempDir Path dir) {
        EphemeralExperiment.SweepGrid grid = new EphemeralExperiment.SweepGrid(new double[]{1e-4}, new double[]{1e3, 1e4}, 2, 0.1, 0.7,
                ModelConfig.ephemeral(8, 1), 3);
        Path file = dir.resolve("eph-sweep.csv");
        var e = assertThrows(memlab.sweep.FailedRunsException.class, () -> EphemeralExperiment.ephSweep(grid, file,
                (step, steps, metrics) -> { throw new IllegalStateException("device lost"); }));
        assertTrue(e.getMessage().contains("4 of 4 runs") && e.getMessage().contains("IllegalStateException: device lost")
                && e.getMessage().contains(file.toAbsolutePath().toString()) && e.getMessage().contains("run again"), e.getMessage());
        assertEquals(4, e.errors().rowCount());
        EphemeralExperiment.SweepResult r = EphemeralExperiment.ephSweep(grid, file, null);   // retried: the errors were not results
        assertEquals(4, r.results().rowCount());
        assertEquals(4, r.divergedAt().length);
        assertEquals(0, r.results().where(r.results().stringColumn("status").isEqualTo("error")).rowCount());
    }

    @Test
    void aTornCurvesRowIsLeftOutAndTheNextBatchStartsOnItsOwnLine(@TempDir Path dir) throws Exception {
        EphemeralExperiment.SweepGrid grid = new EphemeralExperiment.SweepGrid(new double[]{1e-4}, new double[]{1e3}, 1, 0.1, 0.7,
                ModelConfig.ephemeral(8, 1), 3);
        Path file = dir.resolve("eph-sweep.csv");
        EphemeralExperiment.SweepResult first = EphemeralExperiment.ephSweep(grid, file, null);
        Path curves = dir.resolve("eph-sweep-curves-h8-b1-s3.csv");
        String text = java.nio.file.Files.readString(curves);
        java.nio.file.Files.writeString(curves, text.substring(0, text.length() - 20));  // a writer killed inside its last row
        java.nio.file.Files.delete(file);                                             // ... before the results were saved
        EphemeralExperiment.SweepResult again = EphemeralExperiment.ephSweep(grid, file, null);
        assertEquals(first.curves().rowCount(), again.curves().rowCount(), "the rerun's rows replace the torn one; duplicates dropped");
        assertEquals(first.curves().doubleColumn("loss").sum(), again.curves().doubleColumn("loss").sum(), 1e-9);
    }

    @Test
    void sweepGridChecksItsArguments() {
        ModelConfig m = ModelConfig.ephemeral(8, 1);
        double[] lrs = {1e-4}, as = {1e4};
        java.util.function.BiConsumer<String, org.junit.jupiter.api.function.Executable> refused = (arg, call) -> {
            var e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().startsWith(arg + " "), arg + ": " + e.getMessage());
        };
        refused.accept("samples", () -> new EphemeralExperiment.SweepGrid(lrs, as, -2, 0.1, 0.7, m, 4));
        refused.accept("lrs", () -> new EphemeralExperiment.SweepGrid(new double[0], as, 2, 0.1, 0.7, m, 4));
        refused.accept("lrs", () -> new EphemeralExperiment.SweepGrid(new double[]{-1e-4}, as, 2, 0.1, 0.7, m, 4));
        refused.accept("plasticities", () -> new EphemeralExperiment.SweepGrid(lrs, null, 2, 0.1, 0.7, m, 4));
        refused.accept("plasticities", () -> new EphemeralExperiment.SweepGrid(lrs, new double[]{0.5}, 2, 0.1, 0.7, m, 4));
        refused.accept("fraction", () -> new EphemeralExperiment.SweepGrid(lrs, as, 2, 1.5, 0.7, m, 4));
        refused.accept("forgetRate", () -> new EphemeralExperiment.SweepGrid(lrs, as, 2, 0.1, 0, m, 4));
        refused.accept("model", () -> new EphemeralExperiment.SweepGrid(lrs, as, 2, 0.1, 0.7, null, 4));
        refused.accept("steps", () -> new EphemeralExperiment.SweepGrid(lrs, as, 2, 0.1, 0.7, m, 0));
    }

    @Test
    void configsTableHasTwelveRows() {
        Table t = EphemeralExperiment.ephConfigs(new EphemeralExperiment.Scale(8, 1, 2, 1), null);
        assertEquals(12, t.rowCount());
    }

    @Test
    void earlyWarningScoresAsDocumented() {
        // run 0: ratio doubles at step 6, explodes at 9 → hit, lead 3; run 1: flat, stable → no alarm; run 2: grows, stable → false alarm
        double[][] ratios = {{1, 1, 1, 1, 1, 1, 3, 3, 3, 3}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 2, 2, 2, 2, 2, 2, 2}};
        Table curves = Table.create("c", IntColumn.create("run"), IntColumn.create("step"), DoubleColumn.create(EphemeralNet.GRAD_RATIO));
        for (int r = 0; r < 3; r++)
            for (int s = 0; s < 10; s++) {
                curves.intColumn("run").append(r);
                curves.intColumn("step").append(s);
                curves.doubleColumn(EphemeralNet.GRAD_RATIO).append(ratios[r][s]);
            }
        assertEquals(6, EarlyWarning.alarm(ratios[0], 1, 1.5));
        Table t = EarlyWarning.score(curves, new int[]{9, -1, -1}, 1, 1.5);
        assertEquals(1, t.intColumn("hits").getInt(0));
        assertEquals(1.0, t.doubleColumn("hit_rate").getDouble(0));
        assertEquals(1, t.intColumn("false_alarms").getInt(0));
        assertEquals(3.0, t.doubleColumn("median_lead").getDouble(0));
    }

    @Test
    void curvesCarryLabels() {
        Table t = EphemeralExperiment.curves("x", KeyRecall.paper(), List.of(new EphemeralExperiment.Group("ephemeral", ModelConfig.ephemeral(8, 1),
                List.of(RunConfig.ephemeral(0, 1e-4, 1e4, 0.1, 0.7)))), 3, null);
        assertEquals(3, t.rowCount());
        assertTrue(t.stringColumn("label").get(0).startsWith("ephemeral lr 1.0E-4"));
    }
}
