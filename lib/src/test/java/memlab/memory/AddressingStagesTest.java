package memlab.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.core.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Each NTM addressing stage and the write/read on examples small enough to work out by hand. */
class AddressingStagesTest {
    static final double TOL = 1e-12;

    static NDArray arr(NDManager m, double[] v, long... shape) {
        return m.create(v, new Shape(shape));
    }

    static void close(double[] want, NDArray got) {
        assertArrayEquals(want, got.toDoubleArray(), TOL);
    }

    @Test
    void cosineContentWeighting() {
        try (NDManager m = NDManager.newBaseManager()) {
            // slots [1, 0] and [1, 1], key [2, 0]: K = 2/(2·1 + ε) ≈ 1 and 2/(2·√2) = 1/√2
            NDArray mem = arr(m, new double[]{1, 0, 1, 1}, 1, 2, 2), key = arr(m, new double[]{2, 0}, 1, 1, 2);
            double k1 = 2 / (2 + Addressing.COSINE_EPS), k2 = 2 / (2 * Math.sqrt(2) + Addressing.COSINE_EPS);
            close(new double[]{k1, k2}, Addressing.cosineSimilarity(mem, key));
            // β = 3: softmax of (3 k1, 3 k2) over the two slots
            double w1 = 1 / (1 + Math.exp(3 * (k2 - k1)));
            close(new double[]{w1, 1 - w1}, Addressing.cosine(mem, key, arr(m, new double[]{3}, 1, 1)));
            // a larger β sharpens toward the better match; the key's length does not matter (up to ε)
            double sharp = Addressing.cosine(mem, key, arr(m, new double[]{30}, 1, 1)).toDoubleArray()[0];
            assertTrue(sharp > w1 && sharp > 0.99);
            assertArrayEquals(Addressing.cosine(mem, key, arr(m, new double[]{3}, 1, 1)).toDoubleArray(),
                    Addressing.cosine(mem, key.mul(5), arr(m, new double[]{3}, 1, 1)).toDoubleArray(), 1e-8);
        }
    }

    @Test
    void interpolationGate() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray wc = arr(m, new double[]{0.5, 0.5, 0}, 1, 1, 3), prev = arr(m, new double[]{0, 0, 1}, 1, 1, 3);
            close(new double[]{0.125, 0.125, 0.75}, Interpolation.apply(wc, prev, arr(m, new double[]{0.25}, 1, 1)));
            close(new double[]{0.5, 0.5, 0}, Interpolation.apply(wc, prev, arr(m, new double[]{1}, 1, 1)));
        }
    }

    @Test
    void circularShiftMovesFocusAndWraps() {
        try (NDManager m = NDManager.newBaseManager()) {
            CircularShift shift = new CircularShift(1, 5);
            NDArray s = arr(m, new double[]{0.2, 0.3, 0.5}, 1, 1, 3);              // shifts −1, 0, +1
            // focus on slot 1: −1 puts 0.2 on slot 0, +1 puts 0.5 on slot 2
            close(new double[]{0.2, 0.3, 0.5, 0, 0}, shift.apply(arr(m, new double[]{0, 1, 0, 0, 0}, 1, 1, 5), s));
            // focus on slot 0: shift −1 wraps to slot 4
            close(new double[]{0.3, 0.5, 0, 0, 0.2}, shift.apply(arr(m, new double[]{1, 0, 0, 0, 0}, 1, 1, 5), s));
            // focus on slot 4: shift +1 wraps to slot 0
            close(new double[]{0.5, 0, 0, 0.2, 0.3}, shift.apply(arr(m, new double[]{0, 0, 0, 0, 1}, 1, 1, 5), s));
            // range 2 on 7 slots, all weight on +2
            close(new double[]{0, 0, 0, 1, 0, 0, 0}, new CircularShift(2, 7).apply(arr(m, new double[]{0, 1, 0, 0, 0, 0, 0}, 1, 1, 7),
                    arr(m, new double[]{0, 0, 0, 0, 1}, 1, 1, 5)));
        }
    }

    @Test
    void circularShiftMatchesItsDefinitionLoop() {
        try (NDManager m = NDManager.newBaseManager()) {
            SplittableRandom rng = Seeds.stream(3, "shift-test");
            for (int k = 0; k <= 3; k++) {
                int slots = 2 * k + 2 + rng.nextInt(4), n = 2, heads = 3;
                double[] w = new double[n * heads * slots], s = new double[n * heads * (2 * k + 1)];
                for (int i = 0; i < w.length; i++) w[i] = rng.nextDouble();
                for (int i = 0; i < s.length; i++) s[i] = rng.nextDouble();
                double[] got = new CircularShift(k, slots).apply(arr(m, w, n, heads, slots), arr(m, s, n, heads, 2 * k + 1)).toDoubleArray();
                for (int row = 0; row < n * heads; row++) {
                    double[] want = CircularShift.naive(java.util.Arrays.copyOfRange(w, row * slots, (row + 1) * slots),
                            java.util.Arrays.copyOfRange(s, row * (2 * k + 1), (row + 1) * (2 * k + 1)));
                    assertArrayEquals(want, java.util.Arrays.copyOfRange(got, row * slots, (row + 1) * slots), TOL, "k = " + k + ", row " + row);
                }
            }
        }
    }

    @Test
    void sharpening() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = arr(m, new double[]{0.2, 0.3, 0.5}, 1, 1, 3);
            // γ = 2: squares 0.04, 0.09, 0.25, sum 0.38
            close(new double[]{0.04 / 0.38, 0.09 / 0.38, 0.25 / 0.38}, Sharpening.apply(w, arr(m, new double[]{2}, 1, 1)));
            close(new double[]{0.2, 0.3, 0.5}, Sharpening.apply(w, arr(m, new double[]{1}, 1, 1)));
        }
    }

    @Test
    void eraseThenAddWriteAndRead() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mem = arr(m, new double[]{1, 2, 3, 4}, 1, 2, 2);
            // one head on slot 0 with weight 0.5, e = [1, 0.5], a = [10, 20]:
            // slot 0 = [1·(1 − 0.5), 2·(1 − 0.25)] + 0.5·[10, 20] = [5.5, 11.5]; slot 1 untouched
            close(new double[]{5.5, 11.5, 3, 4}, Memory.write(mem, arr(m, new double[]{0.5, 0}, 1, 1, 2),
                    arr(m, new double[]{1, 0.5}, 1, 1, 2), arr(m, new double[]{10, 20}, 1, 1, 2)));
            // two heads on slot 0: erase multiplies, (1 − 0.5·[1, 0.5]) ⊙ (1 − 0.5·[0.5, 1]) = [0.375, 0.375];
            // adds sum, 0.5·[10, 20] + 0.5·[2, 4] = [6, 12]
            close(new double[]{0.375 + 6, 0.75 + 12, 3, 4}, Memory.write(mem, arr(m, new double[]{0.5, 0, 0.5, 0}, 1, 2, 2),
                    arr(m, new double[]{1, 0.5, 0.5, 1}, 1, 2, 2), arr(m, new double[]{10, 20, 2, 4}, 1, 2, 2)));
            // read with [0.25, 0.75]: 0.25·[1, 2] + 0.75·[3, 4]
            close(new double[]{2.5, 3.5}, Memory.read(mem, arr(m, new double[]{0.25, 0.75}, 1, 1, 2)));
        }
    }

    @Test
    void generalWriteWithFullEraseIsTheEglWrite() {
        try (NDManager m = NDManager.newBaseManager()) {
            SplittableRandom rng = Seeds.stream(5, "write-test");
            double[] mem = new double[3 * 4 * 2], w = new double[3 * 4], v = new double[3 * 2];
            for (double[] a : new double[][]{mem, w, v}) for (int i = 0; i < a.length; i++) a[i] = rng.nextDouble();
            NDArray egl = Memory.write(arr(m, mem, 3, 4, 2), arr(m, w, 3, 4), arr(m, v, 3, 2));
            NDArray ntm = Memory.write(arr(m, mem, 3, 4, 2), arr(m, w, 3, 1, 4), m.ones(new Shape(3, 1, 2), ai.djl.ndarray.types.DataType.FLOAT64), arr(m, v, 3, 1, 2));
            close(egl.toDoubleArray(), ntm);
        }
    }

    @Test
    void attentionSummaries() {
        float[][] w = {{0.0005f, 0.9995f}, {0.5f, 0.5f}};
        assertEquals(0.5, AttentionStats.saturatedShare(w, 1e-3), 0);
        assertArrayEquals(new double[]{0.75, 0.25}, AttentionStats.slotUsage(new float[][]{{1, 0}, {0.5f, 0.5f}}), 1e-7);
        assertEquals(2, AttentionStats.effectiveSlots(new double[]{0.5, 0.5}), 1e-12);
        assertEquals(1, AttentionStats.effectiveSlots(new double[]{1, 0, 0}), 1e-12);
    }
}
