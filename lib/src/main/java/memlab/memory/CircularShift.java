package memlab.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import memlab.core.Check;

/**
 * The NTM's location shift (Graves, Wayne, Danihelka 2014, eq. 8): a circular convolution of the
 * gated weighting with a distribution {@code s} over the allowed shifts {@code −k..+k},
 * <pre>  w̃_t(i) = Σ_{j=0}^{S−1} w^g_t(j) s_t(i − j mod S) = Σ_{o=−k}^{k} s_t(o) w^g_t(i − o mod S)</pre>
 * so all weight on shift +1 moves the focus one slot forward. The second form is the one computed:
 * the 2k+1 copies of {@code w^g} rolled by each shift, weighted by {@code s} in one batched product. {@link #naive} is the first form as a loop, for tests.
 */
public final class CircularShift {
    private final int range;

    /**
     * @param range k, the largest shift: shifts are {@code −k..+k}, {@code k >= 0}
     * @param slots S; the 2k+1 shifts must be fewer than the slots, else shifts wrap onto each other
     */
    public CircularShift(int range, int slots) {
        Check.positive("slots", slots);
        this.range = Check.nonNegative("shiftRange", range);
        if (2L * range + 1 >= slots)
            throw new IllegalArgumentException("shiftRange k = " + range + " gives " + (2 * range + 1) + " shifts (−k..+k), which must be fewer than slots = "
                    + slots + "; allowed k: 0.." + Math.max(0, (slots - 2) / 2));
    }

    /** k, the largest shift. */
    public int range() { return range; }

    /** Number of shifts, {@code 2k + 1}. */
    public int size() { return 2 * range + 1; }

    /**
     * @param w     weighting {@code (N, K, S)}
     * @param shift shift distribution {@code (N, K, 2k+1)}, entry {@code o + k} for shift {@code o}
     * @return {@code w̃}, {@code (N, K, S)}
     */
    public NDArray apply(NDArray w, NDArray shift) {
        if (range == 0) return w.mul(shift);
        long slots = w.getShape().get(2);
        // window_o[i] = w[i − o mod S] is w rolled by o. Cut w once into 2k + 1 pieces (the first k
        // slots one by one, the middle, the last k one by one) and roll the list of pieces: shifts
        // up to ±k only move single-slot pieces across the end. One split and one concatenation cost
        // less than 2k + 3 index slices (about half the time of the step's shift, forward and backward).
        long[] cuts = new long[2 * range];
        for (int i = 0; i < range; i++) {
            cuts[i] = i + 1;
            cuts[range + i] = slots - range + i;
        }
        NDList pieces = w.split(cuts, 2);
        int n = pieces.size();
        // all 2k + 1 windows as one concatenation of the rolled piece lists, window after window: the
        // same entries as stacking the windows, in one operation instead of 2k concatenations and a stack
        NDList all = new NDList(size() * n);
        for (int o = -range; o <= range; o++) {
            int first = o >= 0 ? (n - o) % n : -o;            // roll right by o, or left by |o|
            for (int i = 0; i < n; i++) all.add(pieces.get((first + i) % n));
        }
        long rows = w.getShape().get(0), k = w.getShape().get(1);
        NDArray stacked = NDArrays.concat(all, 2).reshape(rows * k, size(), slots);          // (NK, 2k+1, S)
        return shift.reshape(rows * k, 1, size()).batchMatMul(stacked).reshape(rows, k, slots); // Σ_o s(o) window_o
    }

    /** The definition as a loop: {@code w̃(i) = Σ_j w(j) s(i − j mod S)}, with {@code s} indexed by shift + k. */
    public static double[] naive(double[] w, double[] s) {
        int slots = w.length, k = (s.length - 1) / 2;
        double[] out = new double[slots];
        for (int i = 0; i < slots; i++)
            for (int j = 0; j < slots; j++) {
                int o = Math.floorMod(i - j, slots);          // shift that moves slot j to slot i
                if (o > slots / 2) o -= slots;                // as a signed shift
                if (Math.abs(o) <= k) out[i] += w[j] * s[o + k];
            }
        return out;
    }
}
