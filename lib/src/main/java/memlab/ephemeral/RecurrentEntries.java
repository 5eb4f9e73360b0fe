package memlab.ephemeral;

/**
 * Where the plastic entries of each run's recurrent weight matrix are, grouped by column: the
 * index tables behind {@link EphemeralNet}'s compact recurrent ephemeral weights. Column j of run
 * r lists the rows i with {@code M[r, i, j] = 1}, padded to the longest column over all runs
 * ({@link #perColumn}). A padded slot has plasticity 0, so it stores 0 and adds nothing to a read;
 * it points at a non-plastic entry of its column (there is one: the column is not full), so
 * writing the stored values into a dense matrix of zeros puts a 0 where a 0 belongs.
 */
final class RecurrentEntries {
    /** P: the most plastic entries of any column (at least 1). */
    final int perColumn;
    /** Per run, column, slot: the row i and the flat position {@code i·H + j} of the entry. */
    final long[] rows, flat;
    /** 1 at a plastic entry, 0 at padding, (R, H, P). */
    final float[] plastic;

    /** @param mask 0/1 masks {@code (R, H, H)}, row-major (layout {@code h W}: row i = input unit, column j = output unit) */
    RecurrentEntries(float[] mask, int R, int H) {
        int most = 1;
        for (int r = 0; r < R; r++)
            for (int j = 0; j < H; j++) {
                int count = 0;
                for (int i = 0; i < H; i++) if (mask[(r * H + i) * H + j] != 0) count++;
                most = Math.max(most, count);
            }
        perColumn = most;
        int n = R * H * most;
        rows = new long[n];
        flat = new long[n];
        plastic = new float[n];
        for (int r = 0; r < R; r++)
            for (int j = 0; j < H; j++) {
                int slot = (r * H + j) * most, p = 0;
                for (int i = 0; i < H; i++)
                    if (mask[(r * H + i) * H + j] != 0) {
                        rows[slot + p] = i;
                        flat[slot + p] = (long) i * H + j;
                        plastic[slot + p] = 1f;
                        p++;
                    }
                int free = 0;   // a non-plastic row of this column, for the padding
                while (p < most && mask[(r * H + free) * H + j] != 0) free++;
                for (; p < most; p++) {
                    rows[slot + p] = free;
                    flat[slot + p] = (long) free * H + j;
                }
            }
    }
}
