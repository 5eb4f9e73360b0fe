package memlab.ntm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NtmConfig#contentOnly}: the head's weighting is the content weighting
 * {@code softmax_i(β cos(k, M_i))}, β = softplus(β̂), computed here by hand in double, whatever the
 * previous weighting, gate, shift and sharpening; with location addressing on, the previous weighting matters.
 */
class ContentOnlyAddressingTest {
    static final int S = 5, D = 3, K = 1;

    @Test
    void contentOnlyIsTheSoftmaxOfScaledCosines() {
        NtmConfig base = new NtmConfig(3, 2, Controller.LSTM, 4, S, D, 1, 1, K, true);
        assertFalse(base.contentOnly());
        NtmConfig content = base.withContentOnly(true);
        assertTrue(content.contentOnly());
        assertTrue(content.withHeads(2, 1).contentOnly(), "the with-copies keep the switch");
        SplittableRandom rng = new SplittableRandom(7);
        int width = base.addressingWidth();
        double[] raw = new double[width], mem = new double[S * D], prevA = new double[S], prevB = new double[S];
        for (int i = 0; i < width; i++) raw[i] = rng.nextGaussian();
        for (int i = 0; i < mem.length; i++) mem[i] = rng.nextGaussian();
        prevA[0] = 1;
        prevB[S - 1] = 1;
        double[] expected = content(raw, mem);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray r = m.create(raw, new Shape(1, 1, width)), memory = m.create(mem, new Shape(1, S, D));
            NDArray a = m.create(prevA, new Shape(1, 1, S)), b = m.create(prevB, new Shape(1, 1, S));
            HeadAddressing only = new HeadAddressing(content), full = new HeadAddressing(base);
            assertArrayEquals(expected, only.weights(r, memory, a).toDoubleArray(), 1e-9);
            assertArrayEquals(expected, only.weights(r, memory, b).toDoubleArray(), 1e-9, "the previous weighting must not matter");
            double[] fa = full.weights(r, memory, a).toDoubleArray(), fb = full.weights(r, memory, b).toDoubleArray();
            double diff = 0;
            for (int i = 0; i < S; i++) diff += Math.abs(fa[i] - fb[i]);
            assertTrue(diff > 1e-3, "with location addressing the previous weighting moves the head");
            assertEquals(DataType.FLOAT64, only.weights(r, memory, a).getDataType());
        }
    }

    /** softmax_i(softplus(β̂) · cos(k, M_i)) with the key the first D raw columns and β̂ the next. */
    static double[] content(double[] raw, double[] mem) {
        double beta = Math.log1p(Math.exp(raw[D]));
        double[] z = new double[S];
        double kn = 0;
        for (int d = 0; d < D; d++) kn += raw[d] * raw[d];
        for (int i = 0; i < S; i++) {
            double dot = 0, mn = 0;
            for (int d = 0; d < D; d++) {
                dot += raw[d] * mem[i * D + d];
                mn += mem[i * D + d] * mem[i * D + d];
            }
            z[i] = beta * dot / Math.sqrt(kn * mn);
        }
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : z) max = Math.max(max, v);
        for (int i = 0; i < S; i++) sum += (z[i] = Math.exp(z[i] - max));
        for (int i = 0; i < S; i++) z[i] /= sum;
        return z;
    }
}
