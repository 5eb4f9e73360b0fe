package memlab.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The protocol every memlab-vs-PyTorch benchmark shares: a memlab training loop and the same maths
 * in an eager-PyTorch server ({@link TorchServer}) timed alternately, chunk by chunk, over repeats,
 * so that both sides see the same machine load; printed per batch size: each side's median seconds
 * per step and the median and range of the per-repeat ratio memlab / PyTorch (below 1: memlab faster),
 * in wall time and in process CPU time.
 *
 * <p>Each memlab side first runs for {@link #WARM_UP_S} seconds: the JVM compiles the step's code on other
 * threads during the first seconds, which a short warm-up would count as the step's CPU time.
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

        @Override
        default void close() {}
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
        memlab.core.Check.positive("repeats", repeats);
        Side[] sides = new Side[batches.length];
        try {
            for (int i = 0; i < batches.length; i++) {
                sides[i] = java.apply(batches[i]);
                warmUp(sides[i]);
            }
            Timing[][] j = new Timing[batches.length][repeats], t = new Timing[batches.length][repeats];
            for (int rep = 0; rep < repeats; rep++)
                for (int i = 0; i < batches.length; i++) {
                    j[i][rep] = time(sides[i], chunk[i]);
                    if (torch != null) t[i][rep] = torch.time(batches[i], chunk[i]);
                }
            for (int i = 0; i < batches.length; i++) {
                double[] jw = wall(j[i]);
                System.out.printf(Locale.ROOT, "    batch %2d: memlab %s s/step (median; range %s-%s)", batches[i], f(median(jw)), f(min(jw)), f(max(jw)));
                if (torch != null) {
                    double[] tw = wall(t[i]), rw = new double[repeats], rc = new double[repeats];
                    for (int r = 0; r < repeats; r++) {
                        rw[r] = j[i][r].wall() / t[i][r].wall();
                        rc[r] = j[i][r].cpu() / t[i][r].cpu();
                    }
                    System.out.printf(Locale.ROOT, ", PyTorch %s s/step (range %s-%s); memlab/PyTorch median %.2f, range %.2f-%.2f; in CPU time median %.2f, range %.2f-%.2f",
                            f(median(tw)), f(min(tw)), f(max(tw)), median(rw), min(rw), max(rw), median(rc), min(rc), max(rc));
                }
                System.out.println();
            }
            return wall(j[0]);
        } finally {
            for (Side s : sides) if (s != null) s.close();
        }
    }

    /** Seconds of warm-up per side: the JVM compiles the step's code over the first seconds, on other threads. */
    static final double WARM_UP_S = 5;

    /** Runs {@code side} until {@link #WARM_UP_S} seconds have passed (at least 2 steps), so that both sides are timed warm. */
    static void warmUp(Side side) {
        long t0 = System.nanoTime();
        side.steps(2);
        while ((System.nanoTime() - t0) / 1e9 < WARM_UP_S) side.steps(1);
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
