package memlab.ephemeral;

import ai.djl.ndarray.NDManager;
import memlab.tasks.chars.CharBatch;
import memlab.tasks.chars.KeyRecall;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link PlasticityMask}: each entry is plastic with probability {@code fraction}, so fraction 0 is a
 * model without ephemeral weights, and such a model computes exactly the plain RNN of its slow weights.
 */
class PlasticityMaskTest {
    /** The share of plastic entries is the fraction within sampling error (5 binomial standard deviations). */
    @Test
    void densityIsTheFraction() {
        int n = 200_000;
        for (double f : new double[]{0.02, 0.1, 0.3, 0.7}) {
            float[] m = PlasticityMask.draw(11, "input", n, f);
            double ones = 0;
            for (float v : m) {
                assertTrue(v == 0f || v == 1f, "entries are 0 or 1, got " + v);
                ones += v;
            }
            double sd = Math.sqrt(f * (1 - f) / n);
            assertEquals(f, ones / n, 5 * sd, "density of a mask drawn with fraction " + f);
        }
    }

    @Test
    void fractionZeroAndOneAreExact() {
        for (float v : PlasticityMask.draw(3, "recurrent", 10_000, 0)) assertEquals(0f, v, "fraction 0: no plastic weight");
        for (float v : PlasticityMask.draw(3, "recurrent", 10_000, 1)) assertEquals(1f, v, "fraction 1: every weight plastic");
    }

    @Test
    void streamsDependOnSeedAndLayerOnly() {
        assertArrayEquals(PlasticityMask.draw(5, "input", 500, 0.2), PlasticityMask.draw(5, "input", 500, 0.2));
        assertFalse(java.util.Arrays.equals(PlasticityMask.draw(5, "input", 500, 0.2), PlasticityMask.draw(6, "input", 500, 0.2)));
        assertFalse(java.util.Arrays.equals(PlasticityMask.draw(5, "input", 500, 0.2), PlasticityMask.draw(5, "recurrent", 500, 0.2)));
        var e = assertThrows(IllegalArgumentException.class, () -> PlasticityMask.draw(5, "input", 10, 1.5));
        assertTrue(e.getMessage().contains("fraction"), e.getMessage());
    }

    /**
     * Fraction 0 (the baseline RNN): whatever the plasticity and forget rate, the step's loss is the
     * cross-entropy of the plain network {@code h_t = ReLU(x_t W + b + h_{t−1} W_hh)} computed here in
     * double loops from the slow weights before the step, over several steps of training.
     */
    @Test
    void fractionZeroIsThePlainNetwork() {
        for (DecayTarget target : DecayTarget.values())
            for (Updater u : Updater.values()) {
                RunConfig run = new RunConfig(4, 0.05, 1e4, 0, 0.5, Double.POSITIVE_INFINITY);
                ModelConfig cfg = new ModelConfig(6, 2, true, u, true, target);
                KeyRecall task = KeyRecall.paper();
                try (NDManager m = NDManager.newBaseManager(); EphemeralNet net = new EphemeralNet(m, cfg, List.of(run), task.alphabet().size())) {
                    for (int s = 0; s < 3; s++) {
                        CharBatch data = CharBatch.draw(task, new long[]{4}, 2, "train", s);
                        double expected = plainLoss(net, data);
                        Map<String, float[]> metrics = net.step(data, true);
                        assertEquals(expected, metrics.get(EphemeralNet.LOSS)[0], 1e-5 * Math.max(1, expected), target + "/" + u + " step " + s);
                        assertEquals(0f, metrics.get(EphemeralNet.GRAD_HIGH)[0], 0f, target + "/" + u + ": no plastic weight, no high-plasticity gradient");
                    }
                }
            }
    }

    /** Mean cross-entropy over the valid predictions of one run, from the slow weights alone. */
    static double plainLoss(EphemeralNet net, CharBatch data) {
        int v = net.vocab(), h = net.config().hidden();
        float[] w = net.params().get("input.weight").toFloatArray(), b = net.params().get("input.bias").toFloatArray();
        float[] wr = net.params().get("recurrent.weight").toFloatArray();
        float[] wo = net.params().get("output.weight").toFloatArray(), bo = net.params().get("output.bias").toFloatArray();
        double sum = 0;
        int count = 0, t = data.length();
        for (int seq = 0; seq < data.batch(); seq++) {
            double[] prev = new double[h];
            for (int i = 0; i < t; i++) {
                int k = seq * t + i;
                if (!data.valid()[k]) continue;
                double[] hid = new double[h];
                for (int j = 0; j < h; j++) {
                    double a = w[data.input()[k] * h + j] + b[j];
                    for (int p = 0; p < h; p++) a += prev[p] * wr[p * h + j];
                    hid[j] = Math.max(0, a);
                }
                double[] z = new double[v];
                double max = Double.NEGATIVE_INFINITY, norm = 0;
                for (int c = 0; c < v; c++) {
                    z[c] = bo[c];
                    for (int j = 0; j < h; j++) z[c] += hid[j] * wo[j * v + c];
                    max = Math.max(max, z[c]);
                }
                for (int c = 0; c < v; c++) norm += Math.exp(z[c] - max);
                sum += -(z[data.target()[k]] - max - Math.log(norm));
                count++;
                prev = hid;
            }
        }
        return sum / count;
    }
}
