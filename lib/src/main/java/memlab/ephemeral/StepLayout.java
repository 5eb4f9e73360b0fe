package memlab.ephemeral;

import memlab.tasks.chars.CharBatch;

import java.util.Arrays;

/**
 * The host-side numbers of one {@link EphemeralNet} step, computed before any device operation:
 * one-hot inputs and targets, the rows of E each character touches, and the decay scale {@code s}
 * of every character. Kept apart from the device code because these are plain loops over
 * positions: small methods the JIT compiles in milliseconds (inside one large method they held up
 * the compiler for seconds, competing with PyTorch's threads for the cores).
 *
 * <p>Positions are run-major: {@code q = r·T·B + t·B + b}; per-character tables are time-major:
 * {@code (t, n)} with {@code n = r·B + b}. {@link CharBatch} order is {@code k = n·T + t}.
 */
final class StepLayout {
    final int T, TB;
    /** {@code [x;1]} one-hot rows, (R, T·B, I). */
    final float[] x;
    /** {@code [x;1]ᵀ} times the run's slow learning rate, (R, I, T·B). */
    final float[] xLr;
    /** One-hot targets, (R, T·B, V); zero rows where a sequence has ended. */
    final float[] y;
    /** 1 where a sequence still runs, (R, T·B). */
    final float[] valid;
    /** Whether every sequence still runs at character t. */
    final boolean[] allValid;
    final boolean padded;
    /** Row path: E's rows (the character's, then the bias) per character, (t, row, n); and the same rows of the run's mask. */
    final long[] eRows, maskRows;
    /** {@code s} and {@code 1/s} before each character's update, (t, n); null without ephemeral weights. */
    final float[] s, inv;
    /** Where not null, the scales to fold into Ẽ before character t (they got too small); s restarts at 1. */
    final double[][] renormaliseAt;

    private final int R, B, N, V, I;

    /**
     * @param scale   the current decay scale of each sequence; advanced in place to its value after the step
     * @param gamma   forget rate per run (1 for a frozen run)
     * @param decays  whether s decays per character (per-character updaters) or stays fixed (BPTT)
     * @param floor   the scale below which Ẽ is renormalised
     */
    StepLayout(CharBatch data, int V, float[] lrSlow, boolean rows, boolean ephemeral,
               double[] scale, double[] gamma, boolean decays, double floor) {
        this.R = data.runs();
        this.B = data.batch();
        this.N = R * B;
        this.V = V;
        this.I = V + 1;
        this.T = data.length();
        this.TB = T * B;
        x = new float[R * TB * I];
        xLr = new float[R * I * TB];
        y = new float[R * TB * V];
        valid = new float[R * TB];
        allValid = new boolean[T];
        padded = oneHot(data, lrSlow);
        eRows = rows ? new long[T * 2 * N] : null;
        maskRows = rows ? new long[T * 2 * N] : null;
        if (rows) rowIndices(data);
        s = ephemeral ? new float[T * N] : null;
        inv = ephemeral ? new float[T * N] : null;
        renormaliseAt = new double[T][];
        if (ephemeral) planDecay(data, scale, gamma, decays, floor);
    }

    private boolean oneHot(CharBatch data, float[] lrSlow) {
        Arrays.fill(allValid, true);
        boolean any = false;
        for (int n = 0; n < N; n++) {
            int r = n / B, b = n % B;
            for (int t = 0; t < T; t++) {
                int k = n * T + t, q = r * TB + t * B + b;
                int c = data.input()[k];
                x[q * I + c] = 1f;
                x[q * I + V] = 1f;
                xLr[(r * I + c) * TB + t * B + b] = lrSlow[r];
                xLr[(r * I + V) * TB + t * B + b] = lrSlow[r];
                if (data.valid()[k]) {
                    y[q * V + data.target()[k]] = 1f;
                    valid[q] = 1f;
                } else {
                    allValid[t] = false;
                    any = true;
                }
            }
        }
        return any;
    }

    private void rowIndices(CharBatch data) {
        for (int n = 0; n < N; n++)
            for (int t = 0; t < T; t++) {
                int c = data.input()[n * T + t], r = n / B;
                eRows[t * 2 * N + n] = (long) n * I + c;
                eRows[t * 2 * N + N + n] = (long) n * I + V;
                maskRows[t * 2 * N + n] = (long) r * I + c;
                maskRows[t * 2 * N + N + n] = (long) r * I + V;
            }
    }

    /** s_t per character: s ← γ s after each valid character (no decay after a sequence's end). */
    private void planDecay(CharBatch data, double[] scale, double[] gamma, boolean decays, double floor) {
        for (int t = 0; t < T; t++) {
            if (decays && min(scale) < floor) {
                renormaliseAt[t] = scale.clone();
                Arrays.fill(scale, 1);
            }
            for (int n = 0; n < N; n++) {
                s[t * N + n] = (float) scale[n];
                inv[t * N + n] = (float) (1 / scale[n]);
                if (decays && data.valid()[n * T + t]) scale[n] *= gamma[n / B];
            }
        }
    }

    static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) m = Math.min(m, d);
        return m;
    }

    /** Dense path: {@code f_t · [x_t;1]} per character as (t, n, I), with {@code f} = s ({@code inverse} false) or 1/s. */
    float[] scaledOneHot(CharBatch data, boolean inverse) {
        float[] out = new float[T * N * I], f = inverse ? inv : s;
        for (int t = 0; t < T; t++)
            for (int n = 0; n < N; n++) {
                int c = data.input()[n * T + t], o = (t * N + n) * I;
                out[o + c] = out[o + V] = f[t * N + n];
            }
        return out;
    }

    /** Row path: 1/s per gathered row, (t, row, n). */
    float[] inverseScalePerRow() {
        float[] out = new float[T * 2 * N];
        for (int t = 0; t < T; t++)
            for (int n = 0; n < N; n++) out[t * 2 * N + n] = out[t * 2 * N + N + n] = inv[t * N + n];
        return out;
    }

    /** Row path: a per-run number for each gathered row, (t, row, n). */
    float[] perRow(double[] perRun) {
        float[] out = new float[T * 2 * N];
        for (int i = 0; i < out.length; i++) out[i] = (float) perRun[(i % N) / B];
        return out;
    }
}
