package memlab.pmnet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.core.Seeds;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The phasor memory's mechanism: the update is a rotation, the route follows the top slot, autograd is right. */
class PhasorMemoryTest {
    static NDArray normal(NDManager m, long seed, String stream, double scale, long... dims) {
        Shape s = new Shape(dims);
        float[] v = Seeds.normal(Seeds.stream(seed, stream), new float[(int) s.size()]);
        for (int i = 0; i < v.length; i++) v[i] *= (float) scale;
        return m.create(v, s);
    }

    /** For any θ, however large: the new phase is the old one turned by θ on the unit circle, stored in [0, 2π). */
    @Test
    void theUpdateIsARotation() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = normal(m, 1, "s", 3, 5, 4, 3).abs();
            NDArray delta = normal(m, 2, "delta", 1000, 5, 4, 3);
            float[] before = s.toFloatArray(), d = delta.toFloatArray(), after = PhasorMemory.update(s, delta, Ablation.NONE).toFloatArray();
            for (int i = 0; i < after.length; i++) {
                assertTrue(after[i] >= 0 && after[i] < 2 * Math.PI + 1e-6, "phase " + after[i] + " outside [0, 2π)");
                double sin = Math.sin(after[i]), cos = Math.cos(after[i]);
                assertEquals(1, sin * sin + cos * cos, 1e-6, "[sin s, cos s] leaves the unit circle");
                // the rotation of (cos s, sin s) by δ, as complex numbers: e^{i(s+δ)} = e^{is} e^{iδ}
                double wantCos = Math.cos(before[i]) * Math.cos(d[i]) - Math.sin(before[i]) * Math.sin(d[i]);
                double wantSin = Math.sin(before[i]) * Math.cos(d[i]) + Math.cos(before[i]) * Math.sin(d[i]);
                assertEquals(wantCos, cos, 2e-3, "cos of the rotated phase, entry " + i);   // float32 phases of |δ| ~ 10³
                assertEquals(wantSin, sin, 2e-3, "sin of the rotated phase, entry " + i);
            }
            float[] tanh = PhasorMemory.update(s, delta, Ablation.UNCONSTRAINED).toFloatArray();
            for (int i = 0; i < tanh.length; i++) assertEquals(Math.tanh(before[i] + d[i]), tanh[i], 1e-5, "tanh state");
        }
    }

    /** After a whole sequence with large inputs every stored phase of every slot and channel is in [0, 2π). */
    @Test
    void theStateOfAWholeSequenceStaysOnTheCircle() {
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 2)) {
            PhasorMemory memory = new PhasorMemory(ps, "m", 8, new PhasorMemory.Config(3, 4, 3, 4, 2, true, Ablation.NONE), new long[]{5, 6});
            NDArray h = normal(ps.manager(), 7, "h", 50, 2, 3, 12, 8);
            PhasorMemory.Trace trace = new PhasorMemory.Trace();
            memory.forwardStepwise(h, trace);
            int moved = 0;
            for (int l = 0; l < 3; l++)
                for (float v : trace.finalState(l)) {
                    assertTrue(v >= 0 && v < 2 * Math.PI + 1e-6, "level " + l + " phase " + v);
                    if (v != 0) moved++;
                }
            assertTrue(moved > 0, "nothing was written");
        }
    }

    /**
     * By hand: C = 1 channel, key width 1; the query is π tanh(1) whatever h (zero query weights),
     * the keys π tanh(sin a_i) of the root's anchors a = (−π/2, 0, π/2, π/4): slot 2's key equals the
     * query, so slot 2 wins and the write goes down to group 4·0 + 2 = 2 of level 1, and only there.
     */
    @Test
    void theTopSlotPicksTheChildGroup() {
        for (int winner : new int[]{2, 0}) {
            try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
                PhasorMemory memory = new PhasorMemory(ps, "m", 4, new PhasorMemory.Config(1, 1, 2, 4, 1, true, Ablation.NONE), new long[]{1});
                ps.get("m.query.weight").set(new float[4]);
                ps.get("m.query.bias").set(new float[]{1});
                ps.get("m.key.weight").set(new float[]{1, 0});        // key from sin of the phase
                ps.get("m.key.bias").set(new float[]{0});
                ps.get("m.angle.weight").set(new float[4]);
                ps.get("m.angle.bias").set(new float[]{0.5f});        // θ = π tanh(0.5) ≠ 0
                float[] root = winner == 2 ? new float[]{(float) (-Math.PI / 2), 0, (float) (Math.PI / 2), (float) (Math.PI / 4)}
                        : new float[]{(float) (Math.PI / 2), 0, (float) (-Math.PI / 2), (float) (Math.PI / 4)};
                ps.get("m.anchors.level0").set(root);
                PhasorMemory.Trace trace = new PhasorMemory.Trace();
                memory.forwardStepwise(normal(ps.manager(), 3, "h", 1, 1, 1, 1, 4), trace);
                PhasorMemory.Trace.Access top = trace.writes().get(0), child = trace.writes().get(1);
                double q = Math.PI * Math.tanh(1), theta = Math.PI * Math.tanh(0.5);
                double[] want = new double[4];
                double z = 0;
                for (int i = 0; i < 4; i++) z += want[i] = Math.exp(Math.cos(q - Math.PI * Math.tanh(Math.sin(root[i]))));
                for (int i = 0; i < 4; i++) assertEquals(want[i] / z, top.weights()[i], 1e-5, "root slot weight " + i);
                assertEquals(0, top.group()[0], "the write starts at the root");
                assertEquals(winner, child.group()[0], "child group = 4·0 + top slot");
                float[] level1 = trace.finalState(1);                  // (1, 1, 4 groups, 4 slots)
                for (int g = 0; g < 4; g++)
                    for (int i = 0; i < 4; i++)
                        if (g == winner) assertEquals(child.weights()[i] * theta, level1[g * 4 + i], 1e-5, "slot " + i + " of group " + g + " turned by w_i θ");
                        else assertEquals(0, level1[g * 4 + i], 0, "group " + g + " is off the route and must not change");
                float[] level0 = trace.finalState(0);
                for (int i = 0; i < 4; i++) assertEquals(top.weights()[i] * theta, level0[i], 1e-5, "root slot " + i);
            }
        }
    }

    /**
     * Why zeroed anchors copy so well (pm-ablation): with every slot of a group at phase 0 the slots
     * have one key, so every weight is exactly 1/b, every slot turns by θ/b and stays equal to its
     * neighbours, every argmax tie goes to slot 0 and every route, write or read, is group 0 at every
     * level. The memory is then one phase accumulator per level, S_t = (Σ_{τ≤t} θ_τ / b) mod 2π, read
     * back as [sin S_t, cos S_t] whatever the read weights: checked here against that formula (state
     * and the layer's output, from θ and W_o alone). The addressing weights get no gradient (the
     * softmax of equal scores is flat along every symmetric direction), so training cannot leave the
     * symmetric point. With random anchors the same input spreads its writes unevenly over distinct slots.
     */
    @Test
    void zeroAnchorsMakeEachLevelOnePhaseAccumulator() {
        int c = 3, b = 4, levels = 3, heads = 2, width = 4, len = 7;
        var config = new PhasorMemory.Config(c, 4, levels, b, heads, true, Ablation.ZERO_ANCHORS);
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            PhasorMemory memory = new PhasorMemory(ps, "m", width, config, new long[]{31});
            NDArray h = normal(ps.manager(), 32, "h", 3, 1, 2, len, width);
            NDArray probe = normal(ps.manager(), 33, "probe", 1, 1, 2, len, width);
            PhasorMemory.Trace trace = new PhasorMemory.Trace();
            float[] y;
            try (NDManager m = ps.manager().newSubManager(); var gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = memory.forwardStepwise(h, trace);
                y = out.toFloatArray();
                gc.backward(out.mul(probe).sum());
            }
            for (var access : concat(trace.writes(), trace.reads())) {
                for (float w : access.weights()) assertEquals(1.0 / b, w, 1e-7, "weight at t " + access.t() + ", level " + access.level());
                for (long g : access.group()) assertEquals(0, g, "route at t " + access.t() + ", level " + access.level());
            }
            // S_t per sequence and channel, from the angles alone
            double[][][] phase = new double[2][len][c];
            for (int t = 0; t < len; t++)
                for (int q = 0; q < 2; q++)
                    for (int k = 0; k < c; k++)
                        phase[q][t][k] = (t == 0 ? 0 : phase[q][t - 1][k]) + trace.angles(t)[q * c + k] / b;
            for (int l = 0; l < levels; l++) {
                float[] s = trace.finalState(l);                               // (1, 2, G_l, b·C)
                int groups = s.length / (2 * b * c);
                for (int q = 0; q < 2; q++)
                    for (int g = 0; g < groups; g++)
                        for (int i = 0; i < b; i++)
                            for (int k = 0; k < c; k++) {
                                float v = s[((q * groups + g) * b + i) * c + k];
                                if (g > 0) assertEquals(0, v, 0, "group " + g + " of level " + l + " is never visited");
                                else {
                                    assertEquals(Math.sin(phase[q][len - 1][k]), Math.sin(v), 1e-5, "level " + l + " slot " + i + " channel " + k);
                                    assertEquals(Math.cos(phase[q][len - 1][k]), Math.cos(v), 1e-5, "level " + l + " slot " + i + " channel " + k);
                                }
                            }
            }
            // the layer's output: W_o [sin S_t, cos S_t] repeated over heads and levels, + b_o
            float[] wo = ps.get("m.out.weight").toFloatArray(), bo = ps.get("m.out.bias").toFloatArray();
            int in = heads * levels * 2 * c;
            for (int q = 0; q < 2; q++)
                for (int t = 0; t < len; t++)
                    for (int o = 0; o < width; o++) {
                        double want = bo[o];
                        for (int j = 0; j < in; j++) {
                            int k = j % (2 * c);
                            double f = k < c ? Math.sin(phase[q][t][k]) : Math.cos(phase[q][t][k - c]);
                            want += f * wo[j * width + o];
                        }
                        assertEquals(want, y[(q * len + t) * width + o], 1e-5, "output of sequence " + q + " at t " + t + ", unit " + o);
                    }
            for (String n : new String[]{"m.query.weight", "m.readQuery.weight", "m.key.weight"}) {
                double most = 0;
                for (float v : ps.get(n).getGradient().toFloatArray()) most = Math.max(most, Math.abs(v));
                assertTrue(most < 1e-6, n + " gets gradient " + most + " although every slot is alike");
            }
            double angleGrad = 0;
            for (float v : ps.get("m.angle.weight").getGradient().toFloatArray()) angleGrad = Math.max(angleGrad, Math.abs(v));
            assertTrue(angleGrad > 1e-3, "θ still learns: " + angleGrad);
        }
        // the same input with anchors: the writes of a group are uneven and the routes differ
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            PhasorMemory memory = new PhasorMemory(ps, "m", width, config.with(Ablation.NONE), new long[]{31});
            PhasorMemory.Trace trace = new PhasorMemory.Trace();
            memory.forwardStepwise(normal(ps.manager(), 32, "h", 3, 1, 2, len, width), trace);
            double spread = 0;
            java.util.Set<Long> leaves = new java.util.HashSet<>();
            for (var w : trace.writes()) {
                for (int q = 0; q < 2; q++) spread = Math.max(spread, w.weights()[q * b] - w.weights()[q * b + 1]);
                if (w.level() == levels - 1) for (long g : w.group()) leaves.add(g);
            }
            assertTrue(spread > 0.01, "anchored slots are told apart: weight spread " + spread);
            assertTrue(leaves.size() > 1, "anchored routes differ: leaf groups " + leaves);
        }
    }

    private static java.util.List<PhasorMemory.Trace.Access> concat(java.util.List<PhasorMemory.Trace.Access> a, java.util.List<PhasorMemory.Trace.Access> b) {
        java.util.List<PhasorMemory.Trace.Access> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The leaf-only variant writes nothing above the last level. */
    @Test
    void leafOnlyWritesOnlyTheLastLevel() {
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            PhasorMemory memory = new PhasorMemory(ps, "m", 4, new PhasorMemory.Config(2, 2, 3, 2, 1, false, Ablation.NONE), new long[]{2});
            PhasorMemory.Trace trace = new PhasorMemory.Trace();
            memory.forwardStepwise(normal(ps.manager(), 3, "h", 1, 1, 2, 5, 4), trace);
            for (int l = 0; l < 2; l++) for (float v : trace.finalState(l)) assertEquals(0, v, "level " + l);
            assertTrue(Arrays.stream(toDouble(trace.finalState(2))).anyMatch(v -> v != 0), "the leaves were written");
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** Autograd through the whole recurrence against central finite differences of the loss, every parameter entry. */
    @ParameterizedTest
    @EnumSource(Ablation.class)
    void parameterGradientsMatchFiniteDifferences(Ablation ablation) {
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            PhasorMemory memory = new PhasorMemory(ps, "m", 4, new PhasorMemory.Config(2, 3, 2, 2, 2, true, ablation), new long[]{11});
            NDArray h = normal(ps.manager(), 12, "h", 1, 1, 2, 4, 4);
            NDArray probe = normal(ps.manager(), 13, "probe", 1, 1, 2, 4, 4);
            Map<String, float[]> g = new LinkedHashMap<>();
            try (NDManager m = ps.manager().newSubManager(); var gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(memory.forward(h).mul(probe).sum());
                for (String n : memory.parameterNames()) g.put(n, ps.get(n).getGradient().toFloatArray());
            }
            double eps = 4e-3, worst = 0;
            String where = "";
            for (String name : memory.parameterNames()) {
                NDArray p = ps.get(name);
                float[] theta = p.toFloatArray();
                for (int i = 0; i < theta.length; i++) {
                    float keep = theta[i];
                    theta[i] = (float) (keep + eps); p.set(theta);
                    double up = memory.forward(h).mul(probe).sum().getFloat();
                    theta[i] = (float) (keep - eps); p.set(theta);
                    double down = memory.forward(h).mul(probe).sum().getFloat();
                    theta[i] = keep; p.set(theta);
                    double fd = (up - down) / (2 * eps), err = Math.abs(fd - g.get(name)[i]) / Math.max(1, Math.abs(fd));
                    if (err > worst) { worst = err; where = name + "[" + i + "] fd " + fd + " autograd " + g.get(name)[i]; }
                }
            }
            assertTrue(worst < 3e-3, ablation + ": worst " + worst + " at " + where);
        }
    }

    /** Two runs in one batch give what each gives alone (the run dimension never mixes). */
    @Test
    void batchedRunsEqualSeparateRuns() {
        var config = new PhasorMemory.Config(2, 3, 2, 4, 1, true, Ablation.NONE);
        float[] both, first, second;
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 2)) {
            PhasorMemory memory = new PhasorMemory(ps, "m", 4, config, new long[]{21, 22});
            NDArray h = normal(ps.manager(), 4, "h", 1, 2, 3, 6, 4);
            both = memory.forward(h).toFloatArray();
            first = oneRun(config, 21, h.get("0:1"));
            second = oneRun(config, 22, h.get("1:2"));
        }
        int half = both.length / 2;
        assertArrayEquals(first, Arrays.copyOfRange(both, 0, half), 1e-6f);
        assertArrayEquals(second, Arrays.copyOfRange(both, half, both.length), 1e-6f);
    }

    private static float[] oneRun(PhasorMemory.Config config, long seed, NDArray h) {
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            PhasorMemory memory = new PhasorMemory(ps, "m", 4, config, new long[]{seed});
            return memory.forward(ps.manager().create(h.toFloatArray(), h.getShape())).toFloatArray();
        }
    }

    /** The ablations change the layout and parameters as they say. */
    @Test
    void ablationsChangeWhatTheySay() {
        var paper = PhasorMemory.Config.paperTree(4, 4);
        assertEquals(85, paper.tree().totalGroups());
        assertEquals(340, paper.tree().totalSlots());
        AnchorTree flat = paper.with(Ablation.FLAT).tree();
        assertEquals(1, flat.levels());
        assertEquals(340, flat.slotsPerGroup(), "flattened: the same slot count in one group");
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            PhasorMemory none = new PhasorMemory(ps, "a", 4, paper.with(Ablation.ZERO_ANCHORS), new long[]{1});
            assertTrue(none.parameterNames().stream().noneMatch(n -> n.contains("anchors")), "zeroed anchors are no parameter");
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        assertMessage(() -> new PhasorMemory.Config(0, 4, 4, 4, 1, true, Ablation.NONE), "channels");
        assertMessage(() -> new PhasorMemory.Config(4, -1, 4, 4, 1, true, Ablation.NONE), "keyDim");
        assertMessage(() -> new PhasorMemory.Config(4, 4, 0, 4, 1, true, Ablation.NONE), "levels");
        assertMessage(() -> new PhasorMemory.Config(4, 4, 4, 1, 1, true, Ablation.NONE), "branching");
        assertMessage(() -> new PhasorMemory.Config(4, 4, 4, 4, 0, true, Ablation.NONE), "readHeads");
        assertMessage(() -> new PhasorMemory.Config(4, 4, 4, 4, 1, true, null), "ablation");
        assertMessage(() -> Ablation.parse("no-tree"), "ablation must be one of none, zero-anchors, unconstrained, flat");
        assertEquals(Ablation.ZERO_ANCHORS, Ablation.parse("zero-anchors"));
        assertMessage(() -> AnchorTree.tree(0, 4), "levels");
        assertMessage(() -> AnchorTree.tree(12, 4), "levels 12");
        try (NDManager base = NDManager.newBaseManager(); ParamSet ps = new ParamSet(base, 1)) {
            assertMessage(() -> new PhasorMemory(ps, "m", 0, PhasorMemory.Config.paperTree(2, 2), new long[]{1}), "width");
            PhasorMemory memory = new PhasorMemory(ps, "m", 4, PhasorMemory.Config.paperTree(2, 2), new long[]{1});
            assertMessage(() -> memory.forward(ps.manager().zeros(new Shape(1, 2, 5))), "h must have shape (R, B, T, 4)");
        }
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), "message '" + x.getMessage() + "' should contain '" + part + "'");
    }
}
