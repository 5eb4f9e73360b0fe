package memlab.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class SweepTest {
    private static Sweep sweep(Path file) {
        return Sweep.builder("grid").axis("lr", 1e-3, 1e-2).axis("clip", true, false).seeds(0, 1, 2).resultsFile(file).build();
    }

    @Test
    void gridTimesSeeds(@TempDir Path dir) {
        List<Cell> cells = sweep(dir.resolve("g.csv")).cells();
        assertEquals(12, cells.size());
        assertEquals(Map.of("lr", 1e-3, "clip", true), cells.get(0).settings());
        assertEquals(2, cells.get(2).seed());
    }

    @Test
    void aRerunResumesWithoutRecomputingFinishedCells(@TempDir Path dir) {
        Path file = dir.resolve("g.csv");
        AtomicInteger calls = new AtomicInteger();
        // first run "crashes" after 5 cells
        try {
            sweep(file).run(c -> {
                if (calls.incrementAndGet() > 5) throw new Error("killed");
                return Map.of("final_loss", c.getDouble("lr") * c.seed());
            });
            fail();
        } catch (Error expected) {
            assertEquals("killed", expected.getMessage());
        }
        calls.set(0);
        var t = sweep(file).run(c -> {
            calls.incrementAndGet();
            return Map.of("final_loss", c.getDouble("lr") * c.seed());
        });
        assertEquals(7, calls.get(), "only the 7 unfinished cells run again");
        assertEquals(12, t.rowCount());
    }

    @Test
    void anotherSettingSharingTheFileIsNeitherReusedNorReturned(@TempDir Path dir) {
        Path file = dir.resolve("s.csv");
        AtomicInteger calls = new AtomicInteger();
        java.util.function.IntFunction<Sweep> withEpochs = e -> Sweep.builder("s").axis("lr", 1e-3, 1e-2).axis("epochs", e)
                .seeds(0, 1).resultsFile(file).build();
        withEpochs.apply(30).run(c -> { calls.incrementAndGet(); return Map.of("final_loss", 1.0); });      // e.g. quick mode
        var t = withEpochs.apply(300).run(c -> { calls.incrementAndGet(); return Map.of("final_loss", 2.0); });
        assertEquals(8, calls.get(), "the 300-epoch cells are new cells");
        assertEquals(4, t.rowCount());
        assertEquals(2.0, ((tech.tablesaw.api.NumericColumn<?>) t.column("final_loss")).min());
        assertEquals(4, withEpochs.apply(30).table().rowCount(), "both settings stay in the file");
    }

    @Test
    void aFailingCellIsRecordedAndTheSweepGoesOn(@TempDir Path dir) {
        var t = sweep(dir.resolve("g.csv")).run(c -> {
            if (c.seed() == 1) throw new ArithmeticException("boom");
            return Map.of("final_loss", 1.0, "diverged", false);
        });
        assertEquals(12, t.rowCount());
        assertEquals(4, t.where(t.stringColumn("status").isEqualTo("error")).rowCount());
    }

    @Test
    void batchedRunnerGetsCompatibleCells(@TempDir Path dir) {
        List<Integer> sizes = new ArrayList<>();
        var t = sweep(dir.resolve("g.csv")).runBatched(cells -> {
            sizes.add(cells.size());
            assertEquals(1, cells.stream().map(c -> c.get("clip")).distinct().count());
            return cells.stream().map(c -> Map.<String, Object>of("final_loss", c.seed())).toList();
        }, 4, c -> c.get("clip"));
        assertEquals(List.of(4, 2, 4, 2), sizes);
        assertEquals(12, t.rowCount());
    }

    @Test
    void badNamesFailFast() {
        var e = assertThrows(IllegalArgumentException.class, () -> Sweep.builder("Bad Name"));
        assertTrue(e.getMessage().contains("sweep name"));
        assertThrows(IllegalArgumentException.class, () -> Sweep.builder("x").axis("seed", 1));
    }
}
