package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Masks over (row i, column j) of a {@code T × T} score matrix, as 0/1 floats. */
final class Masks {
    private Masks() {}

    /** 1 where {@code lo ≤ i − j < hi}: {@code (0, T)} causal with diagonal, {@code (1, T)} strictly below, {@code (0, w)} a window of w. */
    static NDArray band(NDManager m, int rows, int lo, int hi) {
        float[] a = new float[rows * rows];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < rows; j++) {
                int d = i - j;
                if (d >= lo && d < hi) a[i * rows + j] = 1f;
            }
        return m.create(a, new Shape(rows, rows));
    }
}
