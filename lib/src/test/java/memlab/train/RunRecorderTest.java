package memlab.train;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A run's record cannot be overwritten by a metric or a metadata entry named like a column the recorder writes itself. */
class RunRecorderTest {
    @Test
    void namesOfTheRecordersOwnColumnsAreRefused() {
        RunRecorder rec = new RunRecorder("r", 2, Divergence.NON_FINITE);
        for (String key : new String[]{"run", "diverged", "diverged_at", "wall_s", "final_loss"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> rec.meta(key, 1), key);
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> rec.meta(0, key, 1), key);
        }
        for (String metric : new String[]{"run", "step"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> rec.record(0, Map.of(metric, new float[]{1, 2})), metric);
            assertTrue(e.getMessage().contains("'" + metric + "'"), e.getMessage());
        }
        rec.meta("seed", 3).record(0, Map.of(RunRecorder.LOSS, new float[]{1, 2}));
        assertEquals("3", rec.summary().stringColumn("seed").get(1));
        assertEquals(2.0, rec.summary().doubleColumn("final_loss").get(1));
    }
}
