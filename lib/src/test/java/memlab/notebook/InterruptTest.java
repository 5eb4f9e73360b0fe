package memlab.notebook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import memlab.sweep.Sweep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library side of Jupyter's interrupt; the kernel side is tested through a real kernel (bin/lib/tests). */
class InterruptTest {

    @AfterEach
    void clear() {
        Interrupt.clear();
    }

    @Test
    void checkPassesUntilRequested() {
        assertDoesNotThrow(Interrupt::check);
        Interrupt.request();
        Interrupt.Stopped e = assertThrows(Interrupt.Stopped.class, Interrupt::check);
        assertTrue(e.getMessage().contains("interrupted by the user"), e.getMessage());
        Interrupt.clear();
        assertDoesNotThrow(Interrupt::check);
    }

    @Test
    void sweepStopsAtTheNextRunKeepingFinishedRunsAndResumes(@TempDir Path dir) {
        Path file = dir.resolve("s.csv");
        AtomicInteger calls = new AtomicInteger();
        Sweep.CellRunner runner = c -> {
            if (calls.incrementAndGet() == 2) Interrupt.request();  // the user presses stop during run 2
            return Map.of("final_loss", 1.0);
        };
        // an Error, so Sweep's per-run `catch (Exception)` does not record it as a failed run and go on
        assertThrows(Interrupt.Stopped.class, () -> sweep(file).run(runner));
        assertEquals(2, calls.get(), "no run starts after the interrupt");
        Interrupt.clear();
        var t = sweep(file).run(runner);
        assertEquals(4, t.rowCount());
        assertEquals(4, calls.get(), "the two saved runs are not redone");
        assertTrue(t.stringColumn("status").asList().stream().allMatch("ok"::equals), t.print());
    }

    @Test
    void batchedSweepStopsBeforeTheNextBatch(@TempDir Path dir) {
        AtomicInteger batches = new AtomicInteger();
        Sweep.BatchRunner runner = cells -> {
            batches.incrementAndGet();
            Interrupt.request();
            return cells.stream().map(c -> Map.<String, Object>of("final_loss", 1.0)).toList();
        };
        assertThrows(Interrupt.Stopped.class, () -> sweep(dir.resolve("b.csv")).runBatched(runner, 1));
        assertEquals(1, batches.get());
    }

    private static Sweep sweep(Path file) {
        return Sweep.builder("s").axis("lr", 1e-3, 1e-2).seeds(0, 1).resultsFile(file).build();
    }
}
