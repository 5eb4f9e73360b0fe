package memlab.pmnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.tasks.ByteCorpus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** pm-longctx's measurement: the per-position loss is the cross-entropy it says, and the LM trains without positions. */
class ByteLmTest {
    static final ByteCorpus TEXT = ByteCorpus.of(("the cat sat on the mat. the dog sat on the log. " .repeat(20)).getBytes(StandardCharsets.ISO_8859_1));

    static PhasorNet.Config lm(int maxLength) {
        return new PhasorNet.Config(256, 8, 3, 2, 4, maxLength, 2, new PhasorMemory.Config(2, 4, 2, 2, 1, true, Ablation.NONE));
    }

    /** Against −log₂ softmax computed in double precision from the logits, position by position. */
    @Test
    void perPositionLossIsTheCrossEntropyInBits() {
        try (NDManager m = NDManager.newBaseManager()) {
            int runs = 2, batch = 3, len = 4, v = 5;
            NDArray logits = PhasorMemoryTest.normal(m, 1, "logits", 3, runs, batch, len, v);
            int[] tg = new int[runs * batch * len];
            for (int i = 0; i < tg.length; i++) tg[i] = (i * 7) % v;
            float[] got = ByteLm.perPosition(logits, m.create(tg, new Shape(runs, batch, len)));
            float[] z = logits.toFloatArray();
            for (int r = 0; r < runs; r++)
                for (int t = 0; t < len; t++) {
                    double sum = 0;
                    for (int b = 0; b < batch; b++) {
                        int row = ((r * batch + b) * len + t);
                        double max = Double.NEGATIVE_INFINITY, se = 0;
                        for (int k = 0; k < v; k++) max = Math.max(max, z[row * v + k]);
                        for (int k = 0; k < v; k++) se += Math.exp(z[row * v + k] - max);
                        sum += (max + Math.log(se) - z[row * v + tg[row]]) / Math.log(2);
                    }
                    assertEquals(sum / batch, got[r * len + t], 1e-5, "run " + r + " position " + t);
                }
        }
    }

    /** Averaged over positions, the per-position loss is the model's loss on the same windows (in bits). */
    @Test
    void positionsAverageToTheLoss() {
        long[] seeds = {1, 2};
        try (NDManager base = NDManager.newBaseManager(); PhasorNet net = new PhasorNet(base, lm(24), seeds)) {
            double[][] per = ByteLm.positionLoss(net, TEXT, 24, 3, seeds, 1);
            NDArray[] data = TEXT.arrays(base, 3, 24, seeds, 0, true);
            float[] whole = ByteModel.loss(net.logits(data[0]), data[1], data[2]).lossPerRun();
            for (int r = 0; r < 2; r++) {
                double mean = java.util.Arrays.stream(per[r]).average().orElseThrow();
                assertEquals(whole[r] / Math.log(2), mean, 1e-4);
            }
        }
    }

    /** Training lowers the loss, keeps the position table at 0, and evaluates at four times the training length. */
    @Test
    void trainsWithoutPositionsAndEvaluatesLonger() {
        var setup = new ByteLm.Setup(lm(32), 8, 4, 25, 1e-2, 32, 1, new long[]{3});
        ByteLm.Result r = ByteLm.train(setup, TEXT);
        assertEquals(32, r.positionLoss()[0].length);
        assertTrue(r.trainLoss()[24][0] < 0.8 * r.trainLoss()[0][0], "loss " + r.trainLoss()[0][0] + " → " + r.trainLoss()[24][0]);
        for (double v : r.positionLoss()[0]) assertTrue(Double.isFinite(v));
        assertEquals(r.positionLoss()[0][9], r.meanLoss(9, 10)[0], 1e-12);
        try (NDManager base = NDManager.newBaseManager(); PhasorNet net = new PhasorNet(base, lm(32), new long[]{3});
             var opt = memlab.train.Optimizer.adam(1e-2)) {
            net.params().get(ByteLm.POSITIONS).muli(0);
            for (int i = 0; i < 3; i++) ByteLm.step(net, opt, TEXT, 8, 4, new long[]{3}, i);
            assertEquals(0f, net.params().get(ByteLm.POSITIONS).abs().max().getFloat(), "the position table never moves");
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        PhasorMemoryTest.assertMessage(() -> new ByteLm.Setup(lm(32), 16, 4, 1, 1e-2, 8, 1, new long[]{1}), "evalLength must be >= trainLength 16");
        PhasorMemoryTest.assertMessage(() -> new ByteLm.Setup(lm(32), 16, 4, 1, 1e-2, 64, 1, new long[]{1}), "evalLength 64 exceeds the model's maxLength 32");
        PhasorMemoryTest.assertMessage(() -> new ByteLm.Setup(new PhasorNet.Config(10, 8, 2, 2, 4, 16, 1, null), 4, 4, 1, 1e-2, 8, 1, new long[]{1}), "model vocab must be >= 256");
    }
}
