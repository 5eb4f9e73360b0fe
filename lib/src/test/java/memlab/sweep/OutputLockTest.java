package memlab.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Two processes writing one output folder: the second is refused with the first one's name, and may go on once the first has ended. */
class OutputLockTest {
    private static Sweep sweep(Path file) {
        return Sweep.builder("locked").axis("lr", 1e-3, 1e-2).seeds(0, 1).resultsFile(file).build();
    }

    /** Starts another JVM that takes the lock of {@code dir}; returns once it holds it. */
    private static Process holder(Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldLock.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        assertEquals("held", out.readLine(), "the second process took the lock");
        return p;
    }

    @Test
    void aSecondWriterIsRefusedWithTheHoldersProcessAndGoesOnWhenItEnds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("locked.csv");
        Process other = holder(dir);
        try {
            Sweep s = sweep(file);
            var e = assertThrows(IllegalStateException.class, () -> s.run(c -> Map.of("final_loss", 1.0)));
            assertTrue(e.getMessage().contains("pid " + other.pid()) && e.getMessage().contains(HoldLock.class.getName())
                    && e.getMessage().contains(dir.toRealPath().toString()), e.getMessage());
            assertFalse(Files.exists(file), "nothing was written");
        } finally {
            other.destroyForcibly();                     // ends as a killed process would: the system drops its lock
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(4, sweep(file).run(c -> Map.of("final_loss", 1.0)).rowCount(), "the lock of a dead process is taken over");
        assertTrue(Files.readString(dir.resolve(OutputLock.FILE)).startsWith("pid " + ProcessHandle.current().pid() + ","),
                "the lock file now names this process");
    }

    @Test
    void aLockFileLeftByADeadProcessIsTakenOver(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(OutputLock.FILE), "pid 999999999, since 2020-01-01T00:00:00Z, command java killed-long-ago\n");
        assertEquals(4, sweep(dir.resolve("locked.csv")).run(c -> Map.of("final_loss", 1.0)).rowCount());
    }

    @Test
    void oneProcessMayHoldItManyTimes(@TempDir Path dir) {
        try (OutputLock outer = OutputLock.acquire(dir)) {
            assertEquals(4, sweep(dir.resolve("locked.csv")).run(c -> Map.of("final_loss", 1.0)).rowCount(), "a cell inside a held lock (one kernel)");
        }
        try (OutputLock again = OutputLock.acquire(dir)) {
            assertNotNull(again, "released and taken again");
        }
    }
}
