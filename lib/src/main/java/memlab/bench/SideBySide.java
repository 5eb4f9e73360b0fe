package memlab.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The protocol every memlab-vs-PyTorch benchmark shares: a memlab training loop and the same maths
 * in an eager-PyTorch server ({@link TorchServer}) timed alternately, chunk by chunk, over repeats,
 * so that both sides see the same machine load; printed per batch size: each side's median seconds
 * per step and the median and range of the per-repeat ratio memlab / PyTorch (below 1: memlab faster),
 * in wall time and in process CPU time.
 *
 * <p>Each memlab side first runs until the JVM has finished compiling the step's code ({@link #warmUp}): the
 * compiler threads share the benchmark's core, so a compilation that lands in a timed chunk counts as the
 * step's time (compiling the DNC's forward pass took 1.3 s, about 20 s in, against timed chunks of about
 * 60 ms), and code that is still in its profiling tier runs slower than its final form. The PyTorch side has no compiler to wait for, but its first
 * chunks run slow too (allocator caches, first-touch memory), so it gets {@link #QUIET_S} seconds of steps.
 *
 * <p>Why both: on a shared machine, wall time also counts the time a side waited for a core; process
 * CPU time counts only the work (every thread of the process: PyTorch's, the JVM's compiler and
 * collector too), so its ratio moves less with the load. With one intra-op thread on each side the
 * two agree on an idle machine.
 */
final class SideBySide {
    private SideBySide() {}

    /** Seconds per step: wall clock and CPU time of the whole process. */
    record Timing(double wall, double cpu) {}

    /** A warm memlab training loop: {@link #steps} trains that many steps. */
    interface Side extends AutoCloseable {
        void steps(int n);

        /** Seconds per step of {@code n} steps; by default timed around {@link #steps} in this process. */
        default Timing time(int n) {
            return SideBySide.time(this, n);
        }

        @Override
        default void close() {}
    }

    /**
     * A second PyTorch server as the first side, for an A/A run: the same script against itself shows how far
     * this protocol's ratio strays from 1 when nothing differs (the resolution of a memlab/PyTorch ratio). Its
     * times are the server's own, wall and CPU.
     */
    static Side torchSide(TorchServer server, int batch) {
        return new Side() {
            public void steps(int n) { time(n); }

            public Timing time(int n) {
                try {
                    return server.time(batch, n);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Times {@code steps} steps of {@code side}. */
    static Timing time(Side side, int steps) {
        long c0 = OS.getProcessCpuTime(), t0 = System.nanoTime();
        side.steps(steps);
        long t1 = System.nanoTime(), c1 = OS.getProcessCpuTime();
        return new Timing((t1 - t0) / 1e9 / steps, (c1 - c0) / 1e9 / steps);
    }

    /**
     * Builds {@code java.apply(batches[i])} for every batch size, warms each up, then per repeat times a chunk
     * of {@code chunk[i]} steps on each side, batch after batch; prints one line per batch size (PyTorch
     * skipped when {@code torch} is null) and returns the memlab wall seconds per step of the first batch,
     * per repeat.
     */
    static double[] compare(int[] batches, int[] chunk, int repeats, IntFunction<Side> java, TorchServer torch) throws Exception {
        return compare(batches, chunk, repeats, java, torch, "memlab", "PyTorch");
    }

    /** As {@link #compare(int[], int[], int, IntFunction, TorchServer)}, the sides printed as {@code a} and {@code b}. */
    static double[] compare(int[] batches, int[] chunk, int repeats, IntFunction<Side> java, TorchServer torch, String a, String b) throws Exception {
        memlab.core.Check.positive("repeats", repeats);
        Side[] sides = new Side[batches.length];
        try {
            for (int i = 0; i < batches.length; i++) {
                sides[i] = java.apply(batches[i]);
                System.out.printf(Locale.ROOT, "    batch %2d: %s %s", batches[i], a, warmUp(sides[i]).describe());
                if (torch != null) System.out.printf(Locale.ROOT, "; %s warm-up %d steps", b, warmUp(torch, batches[i], chunk[i]));
                System.out.println();
            }
            Timing[][] j = new Timing[batches.length][repeats], t = new Timing[batches.length][repeats];
            for (int rep = 0; rep < repeats; rep++)
                for (int i = 0; i < batches.length; i++) {
                    j[i][rep] = sides[i].time(chunk[i]);
                    if (torch != null) t[i][rep] = torch.time(batches[i], chunk[i]);
                }
            for (int i = 0; i < batches.length; i++) {
                double[] jw = wall(j[i]);
                System.out.printf(Locale.ROOT, "    batch %2d: %s %s s/step (median; range %s-%s)", batches[i], a, f(median(jw)), f(min(jw)), f(max(jw)));
                if (torch != null) {
                    double[] tw = wall(t[i]), rw = new double[repeats], rc = new double[repeats];
                    for (int r = 0; r < repeats; r++) {
                        rw[r] = j[i][r].wall() / t[i][r].wall();
                        rc[r] = j[i][r].cpu() / t[i][r].cpu();
                    }
                    System.out.printf(Locale.ROOT, ", %s %s s/step (range %s-%s); %s/%s median %.2f, range %.2f-%.2f; in CPU time median %.2f, range %.2f-%.2f",
                            b, f(median(tw)), f(min(tw)), f(max(tw)), a, b, median(rw), min(rw), max(rw), median(rc), min(rc), max(rc));
                }
                System.out.println();
            }
            return wall(j[0]);
        } finally {
            for (Side s : sides) if (s != null) s.close();
        }
    }

    /** Seconds of warm-up of {@link NtmBench}'s recipe grid (whose two sides are both memlab). */
    static final double WARM_UP_S = 5;
    /** Seconds of warm-up per side, at most: a JIT that never settles is reported, not waited for. */
    static final double MAX_WARM_UP_S = 90;
    /** The quiet window: warm-up ends once the JIT compiled for under {@link #QUIET_SHARE} of the last this many seconds. */
    static final double QUIET_S = 5;
    /** The share of the quiet window the JIT may still spend compiling (small methods keep trickling in). */
    static final double QUIET_SHARE = 0.01;

    /** How a warm-up went: its seconds and steps, and whether the JIT settled within {@link #MAX_WARM_UP_S}. */
    record WarmUp(double seconds, int steps, boolean settled) {
        /** One line for the benchmark's output. */
        String describe() {
            return String.format(Locale.ROOT, "warm-up %.0f s, %d steps, %s", seconds, steps,
                    settled ? "JIT settled" : "JIT still compiling after " + (int) MAX_WARM_UP_S + " s");
        }
    }

    /**
     * Warms the PyTorch side at {@code batch} for {@link #QUIET_S} seconds in chunks of {@code chunk} steps; returns the
     * steps. Without it the server's first chunks (after its own 2 warm-up steps) ran slow, and an A/A run of the DNC
     * at batch 1 gave the side warmed longer a ratio of 0.95-0.96 against its twin.
     */
    static int warmUp(TorchServer torch, int batch, int chunk) throws java.io.IOException {
        long t0 = System.nanoTime();
        int steps = 0;
        do {
            torch.time(batch, chunk);
            steps += chunk;
        } while ((System.nanoTime() - t0) / 1e9 < QUIET_S);
        return steps;
    }

    /** Runs {@code side} until the JIT has settled ({@link #warmUp(Side, LongSupplier, LongSupplier)} with this JVM's clocks). */
    static WarmUp warmUp(Side side) {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        LongSupplier compiledMs = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : () -> 0;
        return warmUp(side, System::nanoTime, compiledMs);
    }

    /**
     * Runs {@code side} step by step (2 at least) until the JIT compiled for under {@link #QUIET_SHARE} of the
     * last {@link #QUIET_S} seconds, for at most {@link #MAX_WARM_UP_S} seconds.
     *
     * @param nanos      a clock in nanoseconds
     * @param compiledMs the JIT's total compilation time so far, milliseconds
     */
    static WarmUp warmUp(Side side, LongSupplier nanos, LongSupplier compiledMs) {
        long t0 = nanos.getAsLong();
        List<long[]> marks = new ArrayList<>();   // (clock ns, compiled ms) after each step
        side.steps(2);
        int steps = 2, from = 0;
        while (true) {
            long now = nanos.getAsLong(), compiled = compiledMs.getAsLong();
            marks.add(new long[]{now, compiled});
            // the window starts at the latest mark at least QUIET_S old
            while (from + 1 < marks.size() && now - marks.get(from + 1)[0] >= QUIET_S * 1e9) from++;
            if (from > 4096) {                                                      // fast steps: drop what is behind the window
                marks.subList(0, from).clear();
                from = 0;
            }
            long[] start = marks.get(from);
            double elapsed = (now - t0) / 1e9, span = (now - start[0]) / 1e9;
            if (span >= QUIET_S && compiled - start[1] < QUIET_SHARE * span * 1e3)
                return new WarmUp(elapsed, steps, true);
            if (elapsed >= MAX_WARM_UP_S) return new WarmUp(elapsed, steps, false);
            side.steps(1);
            steps++;
        }
    }

    private static double[] wall(Timing[] t) {
        double[] w = new double[t.length];
        for (int i = 0; i < t.length; i++) w[i] = t[i].wall();
        return w;
    }

    /** Seconds with 3 significant digits. */
    private static String f(double s) {
        return String.format(Locale.ROOT, s >= 0.1 ? "%.3f" : s >= 0.01 ? "%.4f" : "%.5f", s);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }
}
