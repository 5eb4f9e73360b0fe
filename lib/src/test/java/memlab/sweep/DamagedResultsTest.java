package memlab.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A results file is resumed from, so what it holds must be what the runs produced: a row cut short (a
 * killed writer, a full disk, a partial copy) is never a finished run, and a result can never change
 * which run a row belongs to.
 */
class DamagedResultsTest {
    private static final double LOSS = 0.18693417;

    private static Sweep egl(Path file) {
        return Sweep.builder("egl-stability").axis("lr", 1e-3, 1e-2).axis("size", "8x10x16x32x20").axis("epochs", 30)
                .seeds(0, 1, 2).resultsFile(file).build();
    }

    private static Map<String, Object> result() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("final_loss", LOSS);
        r.put("diverged", false);
        r.put("diverged_at", -1);
        r.put("max_grad_norm", 3.25);
        return r;
    }

    /** Cuts the file inside the last line, {@code keep} characters after the start of {@code field} in it. */
    private static void cutLastRow(Path file, String field, int keep) throws Exception {
        String text = Files.readString(file);
        int lastLine = text.lastIndexOf('\n', text.length() - 2) + 1;
        int at = text.indexOf(field, lastLine);
        assertTrue(at > 0, field + " in the last row of\n" + text);
        Files.writeString(file, text.substring(0, at + keep));
    }

    /** What {@code action} printed to standard error. */
    private static <T> String stderrOf(Supplier<T> action) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            action.get();
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    private static void assertTornRowIsRerun(Path file) {
        Sweep[] resumed = new Sweep[1];
        String err = stderrOf(() -> resumed[0] = egl(file));
        assertEquals(1, resumed[0].pending().size(), "the torn last row is not a finished run");
        assertTrue(err.contains(file.toString()) && err.contains("line 7"), "names file and line: " + err);
        AtomicInteger calls = new AtomicInteger();
        var t = resumed[0].run(c -> { calls.incrementAndGet(); return result(); });
        assertEquals(1, calls.get());
        assertEquals(6, t.rowCount());
        for (double v : t.doubleColumn("final_loss").asDoubleArray()) assertEquals(LOSS, v, 1e-12);
        assertEquals(0, egl(file).pending().size(), "after the rerun the file is whole again");
    }

    @Test
    void aRowCutInsideFinalLossIsRerunNotReadAsAShorterNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("egl.csv");
        egl(file).run(c -> result());
        cutLastRow(file, "0.18693417", 4);    // "...,ok,0.18"
        assertTornRowIsRerun(file);
    }

    @Test
    void aRowCutInsideAnAxisValueIsRerunNotAParseError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("egl.csv");
        egl(file).run(c -> result());
        cutLastRow(file, "8x10x16x32x20", 5);  // "0.01,8x10x"
        assertTornRowIsRerun(file);
    }

    @Test
    void aFileWrittenBeforeChecksumsIsResumedAndItsTornRowRerun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("egl.csv");
        StringBuilder old = new StringBuilder("lr,size,epochs,seed,status,final_loss,diverged,diverged_at,max_grad_norm\n");
        for (String lr : new String[]{"0.001", "0.01"})
            for (int seed = 0; seed < 3; seed++) old.append(lr).append(",8x10x16x32x20,30,").append(seed).append(",ok,").append(LOSS).append(",false,-1,3.25\n");
        Files.writeString(file, old);
        cutLastRow(file, "0.18693417", 4);
        assertTornRowIsRerun(file);
        assertTrue(Files.readString(file).lines().allMatch(l -> l.matches(".*,[0-9a-f]{8}") || l.endsWith(CheckedCsv.CHECK)), "rewritten with checksums");
    }

    @Test
    void erroredRunsAreRetriedOnResumeDivergedRunsAreNot(@TempDir Path dir) {
        Path file = dir.resolve("egl.csv");
        egl(file).run(c -> {
            if (c.seed() == 1) throw new IllegalStateException("out of memory");
            Map<String, Object> r = result();
            r.put("diverged", c.seed() == 2);
            return r;
        });
        AtomicInteger calls = new AtomicInteger();
        var t = egl(file).run(c -> {
            assertEquals(1, c.seed(), "only the errored runs run again");
            calls.incrementAndGet();
            return result();
        });
        assertEquals(2, calls.get());
        assertEquals(6, t.rowCount(), "the retried runs replace their error rows");
        assertEquals(0, t.where(t.stringColumn("status").isEqualTo("error")).rowCount());
    }

    @Test
    void aResultNamedLikeTheRunsIdentityIsRefused(@TempDir Path dir) {
        for (String name : new String[]{"lr", "seed", "status", "epochs"}) {
            Path file = dir.resolve(name + ".csv");
            var e = assertThrows(IllegalArgumentException.class, () -> egl(file).run(c -> Map.of(name, 5.0, "final_loss", 1.0)), name);
            assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        }
    }

    @Test
    void separatorsQuotesAndNewlinesInValuesRoundTrip(@TempDir Path dir) {
        Path file = dir.resolve("notes.csv");
        Supplier<Sweep> sweep = () -> Sweep.builder("notes").axis("note", "two\nlines", "a,b", "say \"hi\"", "back\\slash=1").seeds(0)
                .resultsFile(file).build();
        AtomicInteger calls = new AtomicInteger();
        sweep.get().run(c -> { calls.incrementAndGet(); return Map.of("message", "first\nsecond, \"third\""); });
        assertEquals(4, calls.get());
        var t = sweep.get().run(c -> { calls.incrementAndGet(); return Map.of("message", "again"); });
        assertEquals(4, calls.get(), "every run is recognised on resume: none is redone");
        assertEquals(4, t.rowCount(), "and none duplicated");
        assertEquals("two\nlines", t.getString(0, "note"));
        assertEquals("first\nsecond, \"third\"", t.getString(0, "message"));
    }
}
