package memlab.dnc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import memlab.tasks.BitCopyTask;

/**
 * What the DNC did on the first sequence of each run's batch, on the host: the memory's usage over
 * time, the write and read weightings, the read modes and the final link matrix (the {@code pr-dnc}
 * figure), with the cost and wrong bits of that batch. Arrays are row-major over the shapes given.
 *
 * @param runs         R
 * @param steps        T (the padded length of the batch; a run's own steps are {@code stepsOf})
 * @param slots        S
 * @param readHeads    H
 * @param stepsOf      each run's number of steps up to its last output (the rest is padding)
 * @param usage        {@code u_t} {@code (R, T, S)}
 * @param writeWeights {@code w_t^w} {@code (R, T, S)}
 * @param readWeights  {@code w_t^r} {@code (R, T, H, S)}
 * @param readModes    {@code π_t} {@code (R, T, H, 3)} (backward, content, forward)
 * @param links        {@code L} after the last step {@code (R, S, S)}
 * @param bitErrors    wrong bits per sequence of each run on the whole batch
 */
public record Snapshot(int runs, int steps, int slots, int readHeads, int[] stepsOf, float[] usage, float[] writeWeights,
                       float[] readWeights, float[] readModes, float[] links, float[] bitErrors) {

    /** Sequence 0 of each run of {@code pass}, run on {@code batch}. */
    public static Snapshot of(Dnc.Pass pass, BitCopyTask.Batch batch) {
        long[] rw = pass.readWeights().getShape().getShape();           // (R, B, T, H, S)
        int runs = (int) rw[0], steps = (int) rw[2], heads = (int) rw[3], slots = (int) rw[4];
        float[] mask = batch.mask().toFloatArray();                     // (R, 1, T, 1)
        int[] stepsOf = new int[runs];
        for (int r = 0; r < runs; r++)
            for (int t = 0; t < steps; t++) if (mask[r * steps + t] > 0) stepsOf[r] = t + 1;
        NDIndex first = new NDIndex(":, 0");
        // links of the padded runs: padding steps are zero inputs after the run's sequence, so the
        // link matrix after them is the one the model reaches, not the one at the run's last output
        return new Snapshot(runs, steps, slots, heads, stepsOf, host(pass.usage().get(first)), host(pass.writeWeights().get(first)),
                host(pass.readWeights().get(first)), host(pass.readModes().get(first)), host(pass.links().get(first)),
                BitCopyTask.bitErrors(pass.logits(), batch));
    }

    private static float[] host(NDArray a) {
        return a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }

    /** Usage of run {@code r} at step {@code t}, {@code (S)}. */
    public float[] usageAt(int r, int t) {
        return java.util.Arrays.copyOfRange(usage, (r * steps + t) * slots, (r * steps + t + 1) * slots);
    }

    /** The link matrix of run {@code r} after the last step, {@code [i][j]} = slot i written after slot j. */
    public float[][] links(int r) {
        float[][] l = new float[slots][slots];
        for (int i = 0; i < slots; i++) System.arraycopy(links, (r * slots + i) * slots, l[i], 0, slots);
        return l;
    }

    /** Run {@code r}'s usage as {@code [slot][step]} (slots down, time across). */
    public float[][] usage(int r) {
        return bySlot(usage, r);
    }

    /** Run {@code r}'s write weighting as {@code [slot][step]}. */
    public float[][] writeWeights(int r) {
        return bySlot(writeWeights, r);
    }

    private float[][] bySlot(float[] a, int r) {
        float[][] out = new float[slots][steps];
        for (int t = 0; t < steps; t++)
            for (int s = 0; s < slots; s++) out[s][t] = a[(r * steps + t) * slots + s];
        return out;
    }
}
