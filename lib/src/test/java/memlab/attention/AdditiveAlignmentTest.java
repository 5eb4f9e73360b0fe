package memlab.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import memlab.core.Seeds;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The alignment scores {@code e_tj = vᵀ tanh(W s + b_W + U h_j + b_U) + b_v} against the definition as
 * loops over the hidden units, in float64, two runs with different weights (the scores are computed by
 * broadcasting rows and columns, so a run or position mixed up would show here).
 */
class AdditiveAlignmentTest {
    @Test
    void scoresMatchTheDefinition() {
        int runs = 2, b = 2, len = 3, hid = 4, size = 3;
        try (NDManager m = NDManager.newBaseManager(); ParamSet params = new ParamSet(m, runs)) {
            AdditiveAlignment align = new AdditiveAlignment(params, hid, size, new long[]{5, 6});
            Map<String, NDArray> w = new LinkedHashMap<>();
            params.all().forEach((k, v) -> w.put(k, v.toType(DataType.FLOAT64, true).mul(3)));   // larger weights: tanh away from linear
            double[] s = normal(1, runs * b * hid), h = normal(2, runs * b * len * hid);
            NDArray scores = align.scores(w, m.create(s, new Shape(runs, b, hid)), align.keys(w, m.create(h, new Shape(runs, b, len, hid))));

            double[] wq = w.get("align.query.weight").toDoubleArray(), bq = w.get("align.query.bias").toDoubleArray();
            double[] wk = w.get("align.key.weight").toDoubleArray(), bk = w.get("align.key.bias").toDoubleArray();
            double[] v = w.get("align.score.weight").toDoubleArray(), bv = w.get("align.score.bias").toDoubleArray();
            double[] expected = new double[runs * b * len];
            for (int r = 0; r < runs; r++)
                for (int n = 0; n < b; n++)
                    for (int j = 0; j < len; j++) {
                        double e = bv[r];
                        for (int a = 0; a < size; a++) {
                            double pre = bq[r * size + a] + bk[r * size + a];
                            for (int i = 0; i < hid; i++)
                                pre += s[(r * b + n) * hid + i] * wq[(r * hid + i) * size + a]
                                        + h[((r * b + n) * len + j) * hid + i] * wk[(r * hid + i) * size + a];
                            e += v[r * size + a] * Math.tanh(pre);
                        }
                        expected[(r * b + n) * len + j] = e;
                    }
            assertArrayEquals(expected, scores.toDoubleArray(), 1e-12, "e_tj of every run, sequence and position");
        }
    }

    private static double[] normal(long seed, int n) {
        float[] f = Seeds.normal(Seeds.stream(seed, "alignment-test"), new float[n]);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = f[i];
        return d;
    }
}
