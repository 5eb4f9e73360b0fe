package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ShortConvolutionTest {
    /** y_t[c] = Σ_i w_i[c] x_{t−i}[c], with x before the start = 0: the convolution against a plain loop over host arrays, per run. */
    @Test
    void equalsTheCausalSumOverTaps() {
        int runs = 2, batch = 2, len = 5, width = 3, kernel = 3;
        try (NDManager m = NDManager.newBaseManager(); ParamSet ps = new ParamSet(m, runs)) {
            ShortConvolution conv = new ShortConvolution(ps, "c", width, kernel, new long[]{1, 2});
            NDArray x = Mixers.normal(m, 7, "x", runs, batch, len, width);
            float[] y = conv.forward(x).toFloatArray(), xs = x.toFloatArray(), w = conv.weight().toFloatArray();
            for (int r = 0; r < runs; r++)
                for (int b = 0; b < batch; b++)
                    for (int t = 0; t < len; t++)
                        for (int c = 0; c < width; c++) {
                            double expect = 0;
                            for (int i = 0; i < kernel && i <= t; i++)
                                expect += w[(r * kernel + i) * width + c] * xs[((r * batch + b) * len + t - i) * width + c];
                            assertEquals(expect, y[((r * batch + b) * len + t) * width + c], 1e-5, "r " + r + " b " + b + " t " + t + " c " + c);
                        }
            assertEquals(2 * width, conv.stateSize());
        }
    }

    /** A kernel longer than the sequence uses the taps that fit; one tap is a per-channel scale. */
    @Test
    void edgeKernels() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet ps = new ParamSet(m, 1)) {
            ShortConvolution longer = new ShortConvolution(ps, "a", 2, 6, new long[]{3});
            NDArray x = Mixers.normal(m, 1, "x", 1, 1, 2, 2);
            float[] y = longer.forward(x).toFloatArray(), xs = x.toFloatArray(), w = longer.weight().toFloatArray();
            assertEquals(w[0] * xs[2] + w[2] * xs[0], y[2], 1e-6);
            ShortConvolution one = new ShortConvolution(ps, "b", 2, 1, new long[]{3});
            assertEquals(0, one.stateSize());
            assertArrayEquals(x.mul(one.weight().reshape(1, 1, 1, 2)).toFloatArray(), one.forward(x).toFloatArray(), 1e-7f);
            var e = assertThrows(IllegalArgumentException.class, () -> new ShortConvolution(ps, "c", 2, 0, new long[]{3}));
            assertTrue(e.getMessage().startsWith("kernel must be"), e.getMessage());
        }
    }

    /** In the model: still causal, the state counts (K − 1)·D per layer, the layer's group names the convolution. */
    @Test
    void inTheSequenceModel() {
        var cfg = SequenceModel.Config.of(12, 8, 10, List.of(MixerSpec.deltaNet(2), MixerSpec.attention(2))).withShortConv(4);
        try (NDManager m = NDManager.newBaseManager(); SequenceModel model = new SequenceModel(m, cfg, new long[]{4})) {
            int[] a = {1, 5, 2, 7, 3, 3, 9, 0, 4, 6}, b = a.clone();
            b[6] = 11;
            float[] la = model.logits(m.create(a, new Shape(1, 1, 10))).toFloatArray();
            float[] lb = model.logits(m.create(b, new Shape(1, 1, 10))).toFloatArray();
            for (int i = 0; i < 6 * 12; i++) assertEquals(la[i], lb[i], 1e-6, "logit " + i + " before the changed token");
            assertEquals(2L * 4 * 4 + 2L * 10 * 8 + 2 * 3 * 8, model.stateSize(10));
            assertTrue(model.layerParameterNames(0).contains("layer0.conv.weight"));
            assertThrows(IllegalArgumentException.class, () -> cfg.withShortConv(-1));
        }
    }
}
