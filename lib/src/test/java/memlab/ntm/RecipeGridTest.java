package memlab.ntm;

import memlab.tasks.BitCopyTask;
import memlab.train.Optimizer;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import static org.junit.jupiter.api.Assertions.*;

/** Convergence as defined for dil-ntm-recipe, the grid's layout and its per-cell table. */
class RecipeGridTest {
    static final NtmCopyTraining.Setup TRAINING = new NtmCopyTraining.Setup(new NtmConfig(4, 3, Controller.LSTM, 4, 8, 2, 1, 1, 1, true),
            new BitCopyTask(1, 3, 5, 10), Optimizer.Rule.ADAM, 100);

    @Test
    void stepsToConvergeIsTheFirstWindowBelowTheLevel() {
        double[] c = {5, 3, 0.5, 2, 0.5, 0.2, 0.1};
        assertEquals(2, RecipeGrid.stepsToConverge(c, 0, 1, 1));
        assertEquals(5, RecipeGrid.stepsToConverge(c, 0, 1, 2));        // (0.5 + 2)/2 ≥ 1, (2 + .5)/2 ≥ 1, (.5 + .2)/2 < 1 at 5
        assertEquals(5, RecipeGrid.stepsToConverge(c, 3, 1, 2));        // windows start at 'from' (curriculum done)
        assertEquals(6, RecipeGrid.stepsToConverge(c, 5, 1, 2));
        assertEquals(-1, RecipeGrid.stepsToConverge(c, 0, 0.05, 1));    // never
        assertEquals(-1, RecipeGrid.stepsToConverge(new double[]{5, Double.NaN, 0.1, 0.1}, 0, 1, 1));   // diverged first: never after
        assertEquals(0, RecipeGrid.stepsToConverge(new double[]{0.1, Double.NaN}, 0, 1, 1));          // converged, then diverged
        assertEquals(-1, RecipeGrid.stepsToConverge(new double[]{1, 1, 1}, 0, 1, 1));                  // exactly at the level: not below
        assertEquals(-1, RecipeGrid.stepsToConverge(new double[0], 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> RecipeGrid.stepsToConverge(c, 0, 1, 0));
    }

    @Test
    void theGridIsInitTimesClippingTimesCurriculumTimesSeeds() {
        RecipeGrid.Setup s = new RecipeGrid.Setup(TRAINING, 1e-3, 10, new long[]{0, 1, 2, 3, 4}, 1, 50);
        var runs = s.runs();
        assertEquals(3 * 2 * 2 * 5, runs.size());
        assertEquals(12, runs.stream().map(NtmCopyTraining.Run::label).distinct().count());
        assertEquals(5, runs.stream().map(NtmCopyTraining.Run::seed).distinct().count());
        assertEquals(40, s.firstFullStep(true));    // lengths 1..5, +1 every 10 steps: the full range from step 40
        assertEquals(0, s.firstFullStep(false));
    }

    @Test
    void cellsCountSharesAndTakeTheMedianOfConvergedRunsOnly() {
        Table runs = Table.create("r", StringColumn.create("init"), StringColumn.create("clipping"), StringColumn.create("curriculum"),
                LongColumn.create("seed"), StringColumn.create("diverged"), StringColumn.create("converged"), DoubleColumn.create("steps_to_converge"));
        Object[][] rows = {{"constant", "on", "on", 0L, "false", "true", 10.0}, {"constant", "on", "on", 1L, "false", "true", 30.0},
                {"constant", "on", "on", 2L, "true", "false", Double.NaN}, {"random", "off", "off", 0L, "true", "false", Double.NaN}};
        for (Object[] r : rows) {
            runs.stringColumn("init").append((String) r[0]);
            runs.stringColumn("clipping").append((String) r[1]);
            runs.stringColumn("curriculum").append((String) r[2]);
            runs.longColumn("seed").append((Long) r[3]);
            runs.stringColumn("diverged").append((String) r[4]);
            runs.stringColumn("converged").append((String) r[5]);
            runs.doubleColumn("steps_to_converge").append((Double) r[6]);
        }
        Table cells = RecipeGrid.cells(runs);
        assertEquals(2, cells.rowCount());
        assertEquals(2.0 / 3, cells.doubleColumn("converged_share").getDouble(0), 1e-12);
        assertEquals(1.0 / 3, cells.doubleColumn("nan_share").getDouble(0), 1e-12);
        assertEquals(20.0, cells.doubleColumn("median_steps").getDouble(0));
        assertEquals(0.0, cells.doubleColumn("converged_share").getDouble(1));
        assertTrue(Double.isNaN(cells.doubleColumn("median_steps").getDouble(1)), "no converged run: no median");
    }

    @Test
    void badSettingsFailNamingTheArgument() {
        NtmBadInputTest.fails(() -> new RecipeGrid.Setup(TRAINING, 0, 10, new long[]{0}, 1, 5), "lr", "> 0");
        NtmBadInputTest.fails(() -> new RecipeGrid.Setup(TRAINING, 1e-3, Double.POSITIVE_INFINITY, new long[]{0}, 1, 5), "clip", "finite");
        NtmBadInputTest.fails(() -> new RecipeGrid.Setup(TRAINING, 1e-3, 10, new long[0], 1, 5), "seeds");
        NtmBadInputTest.fails(() -> new RecipeGrid.Setup(TRAINING, 1e-3, 10, new long[]{0}, 0, 5), "level", "> 0");
        NtmBadInputTest.fails(() -> new RecipeGrid.Setup(TRAINING, 1e-3, 10, new long[]{0}, 1, 0), "window", "> 0");
    }
}
