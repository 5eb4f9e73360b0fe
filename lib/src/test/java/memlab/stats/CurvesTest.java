package memlab.stats;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CurvesTest {
    /** Two runs interleaved step by step, as a recorder writes them. */
    private static Table twoRuns() {
        return Table.create("c", StringColumn.create("label", "a", "b", "a", "b", "a", "b", "a", "b"),
                IntColumn.create("step", 0, 0, 1, 1, 2, 2, 3, 3),
                DoubleColumn.create("acc", 0.0, 1.0, 0.5, Double.NaN, 1.0, 3.0, 1.0, 5.0));
    }

    @Test
    void runsAreReadBackInStepOrder() {
        Map<String, double[]> runs = Curves.byRun(twoRuns(), "acc", "label");
        assertArrayEquals(new double[]{0, 0.5, 1, 1}, runs.get("a"));
        assertEquals(4, runs.get("b").length);
    }

    @Test
    void tailMeanAndTrailingMeanSkipNaN() {
        assertEquals(1.0, Curves.tailMean(new double[]{0, 0.5, 1, 1}, 2), 1e-12);
        assertEquals(4.0, Curves.tailMean(new double[]{1, Double.NaN, 3, 5}, 2), 1e-12);
        assertArrayEquals(new double[]{1, 1, 2, 4}, Curves.trailingMean(new double[]{1, Double.NaN, 3, 5}, 2), 1e-12);
        assertTrue(Double.isNaN(Curves.tailMean(new double[]{Double.NaN}, 3)));
        assertThrows(IllegalArgumentException.class, () -> Curves.tailMean(new double[]{1}, 0));
    }

    @Test
    void firstReachUsesTheTrailingMean() {
        double[] xs = {0, 1, 0, 1, 1, 1};
        assertEquals(1, Curves.firstReach(xs, 0.5, 2));   // mean(0,1) = 0.5
        assertEquals(4, Curves.firstReach(xs, 1.0, 2));
        assertEquals(-1, Curves.firstReach(xs, 1.5, 2));
    }

    @Test
    void smoothedReplacesMetricsPerRunAndThins() {
        Table s = Curves.smoothed(twoRuns(), 2, 2, List.of("label"), "acc");
        assertEquals(4, s.rowCount());                              // steps 0 and 2 of each run
        assertEquals(List.of("a", "b", "a", "b"), s.stringColumn("label").asList());
        assertArrayEquals(new double[]{0, 1, 0.75, 2}, s.doubleColumn("acc").asDoubleArray(), 1e-12);
    }
}
