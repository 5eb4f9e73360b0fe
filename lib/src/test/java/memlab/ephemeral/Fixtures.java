package memlab.ephemeral;

import memlab.tasks.chars.CharBatch;

import java.util.List;

/** Small hand-made data for the model tests. */
final class Fixtures {
    private Fixtures() {}

    /** One run, one sequence: predictions {@code inputs[t] → targets[t]}, all valid. */
    static CharBatch single(int[] inputs, int[] targets) {
        int t = inputs.length;
        boolean[] valid = new boolean[t];
        java.util.Arrays.fill(valid, true);
        return new CharBatch(1, 1, t, inputs.clone(), targets.clone(), valid, new boolean[t], List.of());
    }

    static float[] slice(float[] a, int from, int len) {
        return java.util.Arrays.copyOfRange(a, from, from + len);
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        if (expected.length != actual.length) throw new AssertionError(what + ": length " + actual.length + " != " + expected.length);
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++)
            if (!(Math.abs(expected[i] - actual[i]) <= tol * Math.max(1, scale)))
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + " got " + actual[i] + " (scale " + scale + ")");
    }
}
