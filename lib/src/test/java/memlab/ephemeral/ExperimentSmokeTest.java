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
        // every row holds the numbers of its run trained alone (batched runs follow their own trajectories)
        int exploded = 0;
        for (int i = 0; i < 8; i++) {
            double lr = num(r.results(), i, "lr"), a = num(r.results(), i, "plasticity");
            long seed = (long) num(r.results(), i, "seed");
            EphemeralTraining.Result alone = EphemeralTraining.train("a", memlab.tasks.chars.ReversedSequence.threeChar(), grid.model(),
                    List.of(RunConfig.ephemeral(seed, lr, a, 0.1, 0.7)), 4, EphemeralTraining.EXPLODED, null);
            String run = "lr " + lr + " α " + a + " seed " + seed;
            boolean diverged = alone.recorder().diverged(0);
            assertEquals(String.valueOf(diverged), r.results().getString(i, "diverged"), run);
            assertEquals(alone.recorder().divergedAt(0), r.divergedAt()[i], run);
            assertEquals(alone.recorder().divergedAt(0), (int) num(r.results(), i, "diverged_at"), run);
            double loss = alone.recorder().tailMean(0, "loss", EphemeralExperiment.tail(4));
            if (!diverged) {
                assertEquals(loss, num(r.results(), i, "final_loss"), 1e-4 * Math.max(1, loss), run + ": final_loss");
                assertEquals(alone.recorder().tailMean(0, EphemeralNet.MEMORY_ACCURACY, 1), num(r.results(), i, "final_memory_accuracy"), 1e-6, run);
                // its curve: the run's per-step loss and ratio
                Table mine = r.curves().where(r.curves().intColumn("run").isEqualTo(i)).sortAscendingOn("step");
                double[] l = alone.recorder().table().doubleColumn("loss").asDoubleArray();
                double[] q = alone.recorder().table().doubleColumn(EphemeralNet.GRAD_RATIO).asDoubleArray();
                assertEquals(4, mine.rowCount(), run + ": curve length");
                for (int s = 0; s < 4; s++) {
                    assertEquals(l[s], mine.doubleColumn("loss").get(s), 1e-4 * Math.max(1, l[s]), run + ": curve loss at step " + s);
                    assertEquals(q[s], mine.doubleColumn(EphemeralNet.GRAD_RATIO).get(s), 1e-3 * Math.max(1, q[s]), run + ": curve ratio at step " + s);
                }
            } else {
                exploded++;
            }
            assertEquals(String.valueOf(!diverged && num(r.results(), i, "final_loss") < 2), r.results().getString(i, "stable"), run + ": stable");
        }
        assertTrue(exploded > 0 && exploded < 8, "the grid has stable and exploding runs: " + exploded + " exploded");
        // eph-warning scores these runs: one row per factor, every run counted once
        Table warning = EphemeralExperiment.ephWarning(r, 1);
        assertEquals(List.of(1.25, 1.5, 2.0, 3.0), warning.doubleColumn("factor").asList());
        for (int f = 0; f < 4; f++) {
            assertEquals(exploded, warning.intColumn("exploded").getInt(f));
            assertEquals(8 - exploded, warning.intColumn("stable").getInt(f));
        }

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

    /**
     * Table 1's twelve configurations, each once, each holding the tail means of runs trained with the
     * documented settings: RNN = baseline runs (no ephemeral weights, lr 1e-3), Ephemeral = fraction
     * 0.1, α 1e4, γ 0.7, lr 1e-4; reset at every sequence, decay of the value.
     */
    @Test
    void configsTableHoldsEachConfigurationsNumbers() {
        EphemeralExperiment.Scale scale = new EphemeralExperiment.Scale(8, 1, 2, 1);
        Table t = EphemeralExperiment.ephConfigs(scale, null);
        assertEquals(12, t.rowCount());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 12; i++) {
            String kind = t.stringColumn("model").get(i), updater = t.stringColumn("updater").get(i);
            boolean recurrence = Boolean.parseBoolean(t.stringColumn("recurrence").get(i));
            assertTrue(seen.add(kind + "/" + updater + "/" + recurrence), "configuration twice: " + kind + "/" + updater + "/" + recurrence);
            RunConfig run = switch (kind) {
                case "rnn" -> RunConfig.baseline(0, 1e-3);
                case "ephemeral" -> RunConfig.ephemeral(0, 1e-4, 1e4, 0.1, 0.7);
                default -> throw new AssertionError("model " + kind);
            };
            ModelConfig cfg = new ModelConfig(8, 1, recurrence, Updater.valueOf(updater.toUpperCase()), true, DecayTarget.VALUE);
            EphemeralTraining.Result alone = EphemeralTraining.train("c", KeyRecall.paper(), cfg, List.of(run), 2, EphemeralTraining.EXPLODED, null);
            String what = kind + "/" + updater + "/" + recurrence;
            assertEquals(alone.recorder().tailMean(0, "loss", 1), t.doubleColumn("final_loss").get(i), 1e-6, what + ": loss");
            assertEquals(alone.recorder().tailMean(0, EphemeralNet.ACCURACY, 1), t.doubleColumn("final_accuracy").get(i), 1e-9, what + ": accuracy");
            assertEquals(alone.recorder().tailMean(0, EphemeralNet.MEMORY_ACCURACY, 1), t.doubleColumn("final_memory_accuracy").get(i), 1e-9, what);
            assertEquals(alone.recorder().diverged(0) ? 1 : 0, t.doubleColumn("diverged_share").get(i), 0, what);
            // the RNN rows have no plastic weight: no high-plasticity gradient at any step
            if (kind.equals("rnn")) assertEquals(0, alone.recorder().table().doubleColumn(EphemeralNet.GRAD_HIGH).max(), 0, what);
        }
        assertEquals(12, seen.size());
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

    /** Each curve row carries its group's label with the run's numbers, its task and seed, and the run's own per-step loss. */
    @Test
    void curvesCarryLabels() {
        List<RunConfig> eph = List.of(RunConfig.ephemeral(0, 1e-4, 1e4, 0.1, 0.7), RunConfig.ephemeral(1, 1e-4, 1e4, 0.1, 0.7));
        List<RunConfig> rnn = List.of(RunConfig.baseline(3, 1e-3));
        Table t = EphemeralExperiment.curves("x", KeyRecall.paper(), List.of(
                new EphemeralExperiment.Group("ephemeral", ModelConfig.ephemeral(8, 1), eph),
                new EphemeralExperiment.Group("rnn", ModelConfig.rnn(8, 1), rnn)), 3, null);
        assertEquals(3 * 3, t.rowCount());
        assertEquals("x", t.name());
        for (int i = 0; i < t.rowCount(); i++) {
            boolean isRnn = i >= 6;
            int run = t.intColumn("run").getInt(i);   // a recorder's rows: step by step, the runs of each step in order
            assertEquals(isRnn ? 0 : i % 2, run, "row " + i);
            RunConfig rc = isRnn ? rnn.get(0) : eph.get(run);
            assertEquals(isRnn ? "rnn lr 0.001" : "ephemeral lr 1.0E-4 α 10000.0 γ 0.7", t.stringColumn("label").get(i), "row " + i);
            assertEquals(KeyRecall.paper().name(), t.stringColumn("task").get(i));
            assertEquals(rc.seed(), t.doubleColumn("seed").get(i), 0);
            assertEquals(rc.lr(), t.doubleColumn("lr").get(i), 0);
            assertEquals(rc.plasticity(), t.doubleColumn("plasticity").get(i), 0);
            assertEquals(isRnn ? i - 6 : i / 2, t.intColumn("step").getInt(i), "row " + i);
            assertEquals("false", t.stringColumn("diverged").get(i));
        }
        // the rnn rows are that run's own curve
        EphemeralTraining.Result alone = EphemeralTraining.train("a", KeyRecall.paper(), ModelConfig.rnn(8, 1), rnn, 3, EphemeralTraining.EXPLODED, null);
        double[] loss = alone.recorder().table().doubleColumn("loss").asDoubleArray();
        for (int s = 0; s < 3; s++) assertEquals(loss[s], t.doubleColumn("loss").get(6 + s), 1e-6, "rnn loss at step " + s);
    }

    private static double num(Table t, int row, String column) {
        return Double.parseDouble(t.getString(row, column));
    }
}
