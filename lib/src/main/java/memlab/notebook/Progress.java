package memlab.notebook;

import memlab.train.Trainer;

import java.io.Console;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Live progress of a long loop: steps done of the total, chosen metrics, elapsed time and time
 * left, e.g. {@code train 1200/5000 (24%)  loss 0.1234  elapsed 0:41  left 2:10}.
 *
 * <ul>
 *   <li>In a notebook: one output, updated in place at most {@value #UPDATES_PER_SECOND} times a second.</li>
 *   <li>In a terminal: one line on standard error, rewritten in place ({@code \r}) as often.</li>
 *   <li>Otherwise (a log file, CI): a line on standard error every {@value #LOG_SECONDS} seconds, and the last.</li>
 * </ul>
 * The last update ({@link #finish()}) is always shown.
 *
 * <pre>{@code
 * Progress p = Progress.start("sweep", cells.size());
 * for (int i = 0; i < cells.size(); i++) { run(cells.get(i)); p.update(i + 1); }
 * p.finish();
 *
 * Trainer.fit(params, opt, rec, steps, objective, Progress.listener("loss"));   // with the trainer
 * }</pre>
 */
public final class Progress {
    /** Most updates a second in a notebook or terminal. */
    public static final int UPDATES_PER_SECOND = 4;
    /** Seconds between lines when standard error is not a terminal. */
    public static final int LOG_SECONDS = 10;

    /** Where the progress line goes. */
    interface Sink {
        void show(String line, boolean last);
    }

    private final String label;
    private final int total;
    private final Sink sink;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final long startNanos;
    private long shownNanos = Long.MIN_VALUE;
    private int done;
    private Map<String, String> metrics = Map.of();
    private boolean finished;

    Progress(String label, int total, Sink sink, long intervalNanos, LongSupplier clock) {
        this.label = label;
        this.total = memlab.core.Check.positive("total", total);
        this.sink = sink;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
    }

    /** Starts showing progress of {@code total} steps, in the notebook, the terminal or the log. */
    public static Progress start(String label, int total) {
        if (Display.available()) return new Progress(label, total, notebook(), 1_000_000_000L / UPDATES_PER_SECOND, System::nanoTime);
        if (stderrIsTerminal()) return new Progress(label, total, terminal(System.err), 1_000_000_000L / UPDATES_PER_SECOND, System::nanoTime);
        return new Progress(label, total, (line, last) -> System.err.println(line), LOG_SECONDS * 1_000_000_000L, System::nanoTime);
    }

    /**
     * A trainer listener that shows progress of the training, with the mean over runs of
     * {@code metrics} (e.g. {@code "loss"}); the total is the trainer's step count.
     */
    public static Trainer.Listener listener(String... metrics) {
        return new Trainer.Listener() {
            private Progress progress;

            @Override
            public void onStep(int step, int steps, Map<String, float[]> values) {
                if (progress == null) progress = start("train", steps);
                Map<String, String> shown = new LinkedHashMap<>();
                for (String m : metrics) if (values.containsKey(m)) shown.put(m, summarize(values.get(m)));
                progress.update(step + 1, shown);
            }

            @Override
            public void onEnd() {
                if (progress != null) progress.finish();
                progress = null;                  // a listener passed on to a second training shows that one too
            }
        };
    }

    /** {@code done} steps are done. */
    public void update(int done) {
        update(done, metrics);
    }

    /** {@code done} steps are done; {@code name = value} are shown after the count. */
    public void update(int done, String name, double value) {
        update(done, Map.of(name, format(value)));
    }

    /** {@code done} steps are done; the {@code metrics} (name to formatted value) are shown after the count. */
    public synchronized void update(int done, Map<String, String> metrics) {
        if (finished) return;
        this.done = done;
        this.metrics = Map.copyOf(metrics);
        long now = clock.getAsLong();
        if (shownNanos != Long.MIN_VALUE && now - shownNanos < intervalNanos) return;
        shownNanos = now;
        sink.show(line(), false);
    }

    /** Shows the last state, whatever the throttle; later updates are ignored. */
    public synchronized void finish() {
        if (finished) return;
        finished = true;
        sink.show(line(), true);
    }

    /** The progress line as it stands. */
    public synchronized String line() {
        double elapsed = (clock.getAsLong() - startNanos) / 1e9;
        StringBuilder sb = new StringBuilder(label).append(' ').append(done).append('/').append(total)
                .append(String.format(Locale.ROOT, " (%d%%)", Math.round(100.0 * done / total)));
        metrics.forEach((k, v) -> sb.append("  ").append(k).append(' ').append(v));
        sb.append("  elapsed ").append(clock(elapsed));
        if (done > 0 && done < total) sb.append("  left ").append(clock(elapsed / done * (total - done)));
        return sb.toString();
    }

    /** The mean of the finite values, noting how many were not finite. */
    static String summarize(float[] values) {
        double sum = 0;
        int n = 0;
        for (float v : values)
            if (Float.isFinite(v)) {
                sum += v;
                n++;
            }
        String mean = n == 0 ? "nan" : format(sum / n);
        return n == values.length ? mean : mean + " (" + (values.length - n) + "/" + values.length + " non-finite)";
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static Sink notebook() {
        return new Sink() {
            private String id;

            @Override
            public void show(String line, boolean last) {
                if (id == null) id = Display.text(line);
                else Display.updateText(id, line);
            }
        };
    }

    /** Rewrites one line in place; pads with spaces over a longer previous line. */
    static Sink terminal(PrintStream out) {
        return new Sink() {
            private int width;

            @Override
            public void show(String line, boolean last) {
                out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                width = line.length();
                if (last) out.println();
                out.flush();
            }
        };
    }

    private static boolean stderrIsTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try { // JDK 22+: a console exists even when redirected; isTerminal tells
            return (boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }
}
