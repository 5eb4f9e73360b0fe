package memlab.pmnet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.tasks.CopyPaste;
import memlab.train.ParamSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** pm-gradnorm's measurement: the gradient with respect to each step's state is right, and the profile is summarised right. */
class StateGradientsTest {
    /** {@code ∂L/∂s_t} read from the tap against central differences of the loss in one state entry, at every position and level. */
    @ParameterizedTest
    @EnumSource(value = Ablation.class, names = {"NONE", "UNCONSTRAINED"})
    void stateGradientsMatchFiniteDifferences(Ablation ablation) {
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 2)) {
            PhasorMemory memory = new PhasorMemory(ps, "m", 4, new PhasorMemory.Config(2, 3, 2, 2, 1, true, ablation), new long[]{11, 12});
            NDArray h = PhasorMemoryTest.normal(ps.manager(), 12, "h", 1, 2, 2, 5, 4);
            NDArray probe = PhasorMemoryTest.normal(ps.manager(), 13, "probe", 1, 2, 2, 5, 4);
            PhasorMemory.StateTap tap = new PhasorMemory.StateTap();
            memory.tap(tap);
            float[][][] g = new float[5][2][];
            try (var gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(memory.forward(h).mul(probe).sum());
                for (int t = 0; t < 5; t++) for (int l = 0; l < 2; l++) g[t][l] = tap.gradient(t, l);
            }
            double eps = 4e-3, worst = 0, largest = 0;
            String where = "";
            for (int t = 0; t < 5; t++)
                for (int l = 0; l < 2; l++)
                    for (int i = 0; i < g[t][l].length; i += 3) {      // every third entry: both runs, all slots and channels
                        memory.tap(PhasorMemory.StateTap.perturbing(t, l, i, eps));
                        double up = memory.forward(h).mul(probe).sum().getFloat();
                        memory.tap(PhasorMemory.StateTap.perturbing(t, l, i, -eps));
                        double down = memory.forward(h).mul(probe).sum().getFloat();
                        double fd = (up - down) / (2 * eps), err = Math.abs(fd - g[t][l][i]) / Math.max(1, Math.abs(fd));
                        largest = Math.max(largest, Math.abs(fd));
                        if (err > worst) { worst = err; where = "t " + t + " level " + l + " [" + i + "] fd " + fd + " tap " + g[t][l][i]; }
                    }
            memory.tap(null);
            assertTrue(largest > 1e-2, "the state's gradient is not trivially zero: largest " + largest);
            assertTrue(worst < 3e-3, ablation + ": worst " + worst + " at " + where);
        }
    }

    /** A zero tap changes no number of the forward pass. */
    @Test
    void aZeroTapChangesNothing() {
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            PhasorMemory memory = new PhasorMemory(ps, "m", 4, new PhasorMemory.Config(2, 3, 2, 2, 1, true, Ablation.NONE), new long[]{1});
            NDArray h = PhasorMemoryTest.normal(ps.manager(), 2, "h", 1, 1, 2, 5, 4);
            float[] plain = memory.forward(h).toFloatArray();
            memory.tap(new PhasorMemory.StateTap());
            assertArrayEquals(plain, memory.forward(h).toFloatArray(), 0f);
        }
    }

    /** On a small PhasorNet: one norm per run and position up to τ, finite, and nonzero at depths the span's information crosses. */
    @Test
    void copyPasteProfileOfASmallNet() {
        try (NDManager base = NDManager.newBaseManager(); PhasorNet net = new PhasorNet(base, PhasorNetTest.small(3, 2), new long[]{1, 2})) {
            CopyPaste task = new CopyPaste(2, 4, CopyPaste.minLength(2, 4), 8);
            StateGradients.Profile p = StateGradients.copyPaste(net, 0, task, 3, new long[]{1, 2}, 0);
            assertEquals(task.length() - 2, p.lossPosition());
            assertEquals(2, p.norms().length);
            assertEquals(p.lossPosition() + 1, p.norms()[0].length);
            for (double[] row : p.norms()) for (double v : row) assertTrue(Double.isFinite(v) && v > 0, "norm " + v);
            for (var e : net.params().all().values()) assertEquals(0f, e.getGradient().abs().max().getFloat(), "no gradient left behind");
            PhasorMemoryTest.assertMessage(() -> StateGradients.copyPaste(net, 0, new CopyPaste(2, 4, 15, 8), 3, new long[]{1, 2}, 0),
                    "task length must be minLength(span, gap) = 10");
            PhasorMemoryTest.assertMessage(() -> StateGradients.copyPaste(net, 1, task, 3, new long[]{1, 2}, 0), "layer");
        }
    }

    /** The summary ratio: constant → 0, halving per step → log10 of the far/near means, NaN when undefined. */
    @Test
    void log10RatioOfHandMadeProfiles() {
        double[] constant = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        double[] halving = new double[9];
        for (int t = 0; t < 9; t++) halving[t] = Math.pow(0.5, 8 - t);     // depth d has 2^−d
        double[] zero = new double[9];
        double[] r = new StateGradients.Profile(8, new double[][]{constant, halving, zero}).log10Ratio();
        assertEquals(0, r[0], 1e-12);
        double near = (0.5 + 0.25) / 2, far = (Math.pow(0.5, 7) + Math.pow(0.5, 8)) / 2;
        assertEquals(Math.log10(far / near), r[1], 1e-12);
        assertTrue(Double.isNaN(r[2]));
        assertArrayEquals(new double[]{2, 0.5, 0}, new StateGradients.Profile(8, new double[][]{constant, halving, zero}).atDepth(1), 1e-12);
        PhasorMemoryTest.assertMessage(() -> new StateGradients.Profile(8, new double[][]{constant}).atDepth(9), "depth");
    }
}
