package memlab.egl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import memlab.core.Seeds;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The gradient link checked three independent ways: (1) off = plain autograd, (2) on = a second
 * formulation that adds Σ_t ⟨stop_grad(∂L/∂o_t), Σ_j M_t[j]⟩ to the loss, (3) a golden fixture from
 * PyTorch's custom-autograd write ({@code reference/egl_reference.py}).
 */
class GradientLinkTest {
    static final List<String> NETS = List.of("write_net", "write_query_net", "read_query_net", "read_out_net");

    /** Gradients of every parameter after one backward pass of the summed per-run MSE. */
    record Grads(Map<String, float[]> byParam, NDArray y, NDArray probeGrad, AttentionMemoryInterface.Pass pass) {}

    static Grads run(NDManager m, ParamSet p, AttentionMemoryInterface model, NDArray x, NDArray memory, float[] link) {
        p.zeroGrad();
        long[] s = x.getShape().getShape();
        NDArray probe = m.zeros(new Shape(s[0], s[1], s[2], model.memDim()));
        probe.setRequiresGradient(true);
        AttentionMemoryInterface.Pass pass;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            pass = model.forward(x, memory, link == null ? null : m.create(link), probe);
            gc.backward(mse(pass.output(), x).sum());
        }
        Map<String, float[]> g = new LinkedHashMap<>();
        p.all().forEach((k, v) -> g.put(k, v.getGradient().toFloatArray()));
        return new Grads(g, pass.output(), probe.getGradient(), pass);
    }

    static NDArray mse(NDArray y, NDArray x) {
        return y.sub(x).square().reshape(x.getShape().get(0), -1).mean(new int[]{1});
    }

    @Test
    void matchesTorchCustomAutogradWriteWithAndWithoutLink() throws Exception {
        Fixture f = Fixture.load("/fixtures/egl_tiny.txt");
        int b = 2, t = 3, in = 4, d = 5, s = 6;
        assertArrayEquals(new long[]{b, t, in}, f.shape("x"));
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 2)) {
            AttentionMemoryInterface model = new AttentionMemoryInterface(p, in, d, s, new long[]{1, 2});
            for (String net : NETS) {
                long[] ws = f.shape(net + ".weight");       // PyTorch layout (out, in)
                float[] w = transpose(f.get(net + ".weight"), (int) ws[0], (int) ws[1]);
                p.get(net + ".weight").set(twice(w));
                p.get(net + ".bias").set(twice(f.get(net + ".bias")));
            }
            NDArray x = m.create(twice(f.get("x")), new Shape(2, b, t, in));
            NDArray mem = m.create(twice(f.get("m0")), new Shape(2, b, s, d));
            // run 0: link off, run 1: link on — trained side by side in one batched model
            Grads g = run(m, p, model, x, mem, new float[]{0, 1});

            float[] y = g.y().toFloatArray();
            int half = y.length / 2;
            for (int i = 0; i < half; i++) assertEquals(y[i], y[half + i], 0f, "forward must be bit-identical with and without the link");
            assertClose(f.get("off.y"), slice(y, 0, 2), 1e-5, "y");
            assertClose(f.get("off.loss"), slice(mse(g.y(), x).toFloatArray(), 0, 2), 1e-5, "loss");
            assertClose(f.get("off.write_attn"), slice(g.pass().writeWeights().toFloatArray(), 0, 2), 1e-5, "write attention");
            assertClose(f.get("off.read_attn"), slice(g.pass().readWeights().toFloatArray(), 0, 2), 1e-5, "read attention");
            for (String mode : List.of("off", "on")) {
                int run = mode.equals("off") ? 0 : 1;
                for (String net : NETS) {
                    long[] ws = f.shape(mode + ".grad." + net + ".weight");
                    assertClose(transpose(f.get(mode + ".grad." + net + ".weight"), (int) ws[0], (int) ws[1]),
                            slice(g.byParam().get(net + ".weight"), run, 2), 1e-5, mode + " grad " + net + ".weight");
                    assertClose(f.get(mode + ".grad." + net + ".bias"), slice(g.byParam().get(net + ".bias"), run, 2), 1e-5, mode + " grad " + net + ".bias");
                }
                // ∂L/∂o_t: the fixture is (T, B, D), ours (R, B, T, D)
                float[] ours = slice(g.probeGrad().toFloatArray(), run, 2);                       // (B, T, D)
                assertClose(f.get(mode + ".G"), permuteBT(ours, b, t, d), 1e-5, mode + " read gradient");
            }
        }
    }

    @Test
    void linkOffIsPlainAutograd() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 2)) {
            AttentionMemoryInterface model = new AttentionMemoryInterface(p, 6, 7, 4, new long[]{11, 12});
            NDArray x = normals(m, 21, new Shape(2, 3, 5, 6));
            NDArray mem = normals(m, 22, new Shape(2, 3, 4, 7));
            Grads plain = run(m, p, model, x, mem, null);
            Grads off = run(m, p, model, x, mem, new float[]{0, 0});
            for (String k : plain.byParam().keySet())
                assertArrayEquals(plain.byParam().get(k), off.byParam().get(k), 0f, k);
        }
    }

    @Test
    void linkOnEqualsSecondFormulation() {
        int r = 2, b = 3, t = 5, in = 6, d = 7, s = 4;
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, r)) {
            AttentionMemoryInterface model = new AttentionMemoryInterface(p, in, d, s, new long[]{31, 32});
            NDArray x = normals(m, 41, new Shape(r, b, t, in));
            NDArray mem = normals(m, 42, new Shape(r, b, s, d));
            NDArray readGrad = run(m, p, model, x, mem, new float[]{0, 0}).probeGrad().stopGradient(); // pass 1: G_t = ∂L/∂o_t
            Grads linked = run(m, p, model, x, mem, new float[]{1, 1});

            // pass 2, written out independently: L + Σ_t ⟨stop_grad(G_t), Σ_j M_t[j]⟩ with plain autograd
            p.zeroGrad();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                int n = r * b;
                NDArray xf = x.reshape(r, b * t, in);
                NDArray v = affine(p, "write_net", xf).reshape(n, t, d);
                NDArray q = affine(p, "write_query_net", xf).reshape(n, t, d);
                NDArray qr = affine(p, "read_query_net", xf).reshape(n, t, d);
                NDArray g = readGrad.reshape(n, t, d);
                NDArray mt = mem.reshape(n, s, d);
                NDArray extra = m.zeros(new Shape(1));
                for (int i = 0; i < t; i++) {
                    NDArray qi = q.get(":, " + i + ", :").expandDims(2);                    // (N, D, 1)
                    NDArray w = mt.batchMatMul(qi).softmax(1);                               // (N, S, 1)
                    mt = mt.mul(w.neg().add(1)).add(w.mul(v.get(":, " + i + ", :").expandDims(1)));
                    extra = extra.add(mt.sum(new int[]{1}).mul(g.get(":, " + i + ", :")).sum());
                }
                NDArray rw = qr.batchMatMul(mt.transpose(0, 2, 1)).softmax(2);
                NDArray o = rw.batchMatMul(mt).reshape(r, b * t, d);
                NDArray y = affine(p, "read_out_net", o).reshape(r, b, t, in);
                gc.backward(mse(y, x).sum().add(extra.sum()));
            }
            for (String k : linked.byParam().keySet())
                assertClose(p.get(k).getGradient().toFloatArray(), linked.byParam().get(k), 1e-5, k);
            // and the link really changes something that the read path alone would not
            assertTrue(maxAbsDiff(linked.byParam().get("write_net.weight"), run(m, p, model, x, mem, null).byParam().get("write_net.weight")) > 1e-4);
        }
    }

    /**
     * {@code link_grad_norm} is ‖G‖ = ‖∂L/∂o‖ over all reads of the batch, the gradient the link routes
     * into memory: at epoch 0 it equals the norm computed here by plain autograd on a model built from
     * the same seed (no link: G does not depend on it), and it is 0 for an unlinked run at every epoch.
     */
    @Test
    void linkGradNormIsRecordedPerStepAndOnlyForLinkedRuns() {
        CopyExperiment.Setup tiny = new CopyExperiment.Setup(2, 4, 3, 5, 6, 3);
        var runs = List.of(CopyExperiment.Run.of(memlab.train.Optimizer.Rule.ADAM, 1e-3, 1.0, false, 1),
                CopyExperiment.Run.of(memlab.train.Optimizer.Rule.ADAM, 1e-3, 1.0, true, 1));
        var table = CopyExperiment.train(tiny, runs, new int[0], null).recorder().table();
        var col = table.doubleColumn(CopyExperiment.LINK_GRAD_NORM);
        var run = table.intColumn("run");
        var step = table.intColumn("step");
        assertEquals(2 * 3, table.rowCount());
        double expected;
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 1)) {
            long[] seed = {1};
            AttentionMemoryInterface model = new AttentionMemoryInterface(p, tiny.input(), tiny.memDim(), tiny.slots(), seed);
            NDArray x = new memlab.tasks.CopyTask(tiny.batch(), tiny.seqLen(), tiny.input()).inputs(m, seed, 0);
            NDArray mem = memlab.tasks.CopyTask.normals(m, seed, "egl-memory", 0, new Shape(tiny.batch(), tiny.slots(), tiny.memDim()));
            double sq = 0;
            for (float g : run(m, p, model, x, mem, null).probeGrad().toFloatArray()) sq += (double) g * g;
            expected = Math.sqrt(sq);
        }
        assertTrue(expected > 1e-6, "test is vacuous: G = 0");
        for (int i = 0; i < table.rowCount(); i++) {
            if (run.get(i) == 0) assertEquals(0.0, col.get(i), 0.0, "unlinked run, epoch " + step.get(i));
            else if (step.get(i) == 0) assertEquals(expected, col.get(i), 1e-5 * expected, "linked run, epoch 0: ‖∂L/∂o‖");
            else assertTrue(col.get(i) > 0 && Double.isFinite(col.get(i)), "linked run, epoch " + step.get(i) + ": " + col.get(i));
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    static NDArray affine(ParamSet p, String net, NDArray x) {
        return x.batchMatMul(p.get(net + ".weight")).add(p.get(net + ".bias"));
    }

    static NDArray normals(NDManager m, long seed, Shape shape) {
        return m.create(Seeds.normal(Seeds.stream(seed, "test"), new float[Math.toIntExact(shape.size())]), shape);
    }

    static float[] twice(float[] a) {
        float[] out = new float[a.length * 2];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(a, 0, out, a.length, a.length);
        return out;
    }

    static float[] slice(float[] a, int run, int runs) {
        int n = a.length / runs;
        return java.util.Arrays.copyOfRange(a, run * n, (run + 1) * n);
    }

    static float[] transpose(float[] a, int rows, int cols) {
        float[] out = new float[a.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
        return out;
    }

    /** (B, T, D) → (T, B, D). */
    static float[] permuteBT(float[] a, int b, int t, int d) {
        float[] out = new float[a.length];
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++)
            System.arraycopy(a, (i * t + j) * d, out, (j * b + i) * d, d);
        return out;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double mx = 0;
        for (int i = 0; i < a.length; i++) mx = Math.max(mx, Math.abs(a[i] - b[i]));
        return mx;
    }

    /** |a − b| ≤ tol · (1 + |a|) element-wise. */
    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++)
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol * (1 + Math.abs(expected[i])),
                    what + "[" + i + "]: expected " + expected[i] + " got " + actual[i]);
    }
}
