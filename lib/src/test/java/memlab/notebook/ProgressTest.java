package memlab.notebook;

import memlab.train.Trainer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    /** A clock the test moves by hand. */
    static final class Clock {
        long nanos;

        void advanceMillis(long ms) {
            nanos += ms * 1_000_000L;
        }
    }

    record Shown(String line, boolean last) {}

    @Test
    void updatesAreThrottledAndTheLastIsAlwaysShown() {
        Clock clock = new Clock();
        List<Shown> shown = new ArrayList<>();
        Progress p = new Progress("train", 100, (line, last) -> shown.add(new Shown(line, last)), 250_000_000L, () -> clock.nanos);
        for (int i = 1; i <= 100; i++) {
            clock.advanceMillis(10);
            p.update(i, "loss", 1.0 / i);
        }
        p.finish();
        p.update(100); // ignored after finish
        // 1 s of updates every 10 ms, at most one per 250 ms: the first, then every 25th, and the last
        assertEquals(List.of(1, 26, 51, 76, 100), shown.stream().map(s -> Integer.parseInt(s.line.split("[ /]")[1])).toList());
        assertTrue(shown.getLast().last());
        assertEquals("train 100/100 (100%)  loss 0.01000  elapsed 0:01", shown.getLast().line());
    }

    @Test
    void lineShowsTimeLeft() {
        Clock clock = new Clock();
        Progress p = new Progress("sweep", 4, (line, last) -> {}, 0, () -> clock.nanos);
        clock.advanceMillis(30_000);
        p.update(1, Map.of());
        assertEquals("sweep 1/4 (25%)  elapsed 0:30  left 1:30", p.line());
        assertEquals("1:01:05", Progress.clock(3665));
    }

    @Test
    void terminalLineIsRewrittenInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress.Sink sink = Progress.terminal(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        sink.show("step 10 loss 1.234", false);
        sink.show("step 11 loss 1", true);
        assertEquals("\rstep 10 loss 1.234\rstep 11 loss 1    " + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void meanOverRunsNotesNonFiniteRuns() {
        assertEquals("2.000", Progress.summarize(new float[]{1, 3}));
        assertEquals("2.000 (1/3 non-finite)", Progress.summarize(new float[]{1, Float.NaN, 3}));
        assertEquals("nan (1/1 non-finite)", Progress.summarize(new float[]{Float.POSITIVE_INFINITY}));
    }

    @Test
    void listenerFollowsTheTrainerOutsideANotebook() {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Trainer.Listener l = Progress.listener("loss");
            for (int s = 0; s < 3; s++) l.onStep(s, 3, Map.of("loss", new float[]{1f, 2f}, "grad_norm", new float[]{0f, 0f}));
            l.onEnd();
            // the same listener for a second training (e.g. one batched model per activation): shown from its start
            for (int s = 0; s < 2; s++) l.onStep(s, 2, Map.of("loss", new float[]{4f}));
            l.onEnd();
        } finally {
            System.setErr(err);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        // not a terminal under the test runner: the first line, then the last (within LOG_SECONDS)
        List<String> lines = out.lines().toList();
        assertEquals(4, lines.size(), out);
        assertTrue(lines.get(0).startsWith("train 1/3 (33%)  loss 1.500  elapsed"), out);
        assertTrue(lines.get(1).startsWith("train 3/3 (100%)  loss 1.500  elapsed"), out);
        assertTrue(lines.get(2).startsWith("train 1/2 (50%)  loss 4.000  elapsed"), out);
        assertTrue(lines.get(3).startsWith("train 2/2 (100%)  loss 4.000  elapsed"), out);
    }
}
