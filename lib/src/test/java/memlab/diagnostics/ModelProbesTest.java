package memlab.diagnostics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.egl.AttentionMemoryInterface;
import memlab.ntm.Controller;
import memlab.ntm.MemoryInit;
import memlab.ntm.Ntm;
import memlab.ntm.NtmConfig;
import memlab.ntm.NtmProbe;
import memlab.tasks.BitCopyTask;
import memlab.tasks.CopyTask;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The diagnostics on the lab's models: groups cover every parameter once; the ablation is what it says. */
class ModelProbesTest {
    static double shareSum(Diagnostics.Report rep, int run) {
        double s = 0;
        for (String g : rep.gradients().groups()) s += rep.gradients().share(run, g);
        return s;
    }

    @Test
    void ntmGroupsCoverEveryParameterOnceAndAblationZeroesTheReads() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 2)) {
            NtmConfig c = new NtmConfig(4, 3, Controller.LSTM, 6, 8, 3, 2, 2, 1, false);
            Ntm ntm = new Ntm(p, c, new MemoryInit[]{MemoryInit.CONSTANT, MemoryInit.LEARNED}, new long[]{1, 2});
            BitCopyTask task = new BitCopyTask(2, 3, 4, 1);
            Diagnostics.Report rep = Diagnostics.measure(new NtmProbe(ntm, task, new long[]{1, 2}, 4, 0), m);
            assertEquals(List.of("key", "strength", "gate", "shift", "sharpening", "erase", "add", "controller", "output", "memory init"),
                    rep.gradients().groups());
            // disjoint groups covering all parameters: squared norms add up to the total
            for (int r = 0; r < 2; r++) assertEquals(1, shareSum(rep, r), 1e-4, "run " + r);
            assertEquals(0, rep.gradients().norm(0, "memory init"), 0, "a constant-init run has no gradient on the learned start");
            assertTrue(rep.gradients().norm(1, "memory init") > 0);
            assertEquals(List.of("read", "write"), List.copyOf(rep.attention().keySet()));
            assertEquals(8, rep.attention().get("read").usage()[0].length);
            // without the bypass the output is W r + b: zeroed reads leave the bias alone
            try (NDManager s = m.newSubManager()) {
                NDArray logits = ntm.forward(task.batchOfLength(s, new long[]{1, 2}, 4, 0).inputs(), true).logits();
                NDArray bias = p.get("output.bias").reshape(2, 1, 1, 3).broadcast(logits.getShape());
                assertArrayEquals(bias.toFloatArray(), logits.toFloatArray(), 1e-7f);
            }
            for (double d : rep.deltaLoss()) assertTrue(Double.isFinite(d));
        }
    }

    @Test
    void eglInterfaceGroupsAndAblationByHand() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 2)) {
            AttentionMemoryInterface model = new AttentionMemoryInterface(p, 3, 4, 5, new long[]{1, 2});
            NDArray x = CopyTask.normals(m, new long[]{1, 2}, "x", 0, new Shape(2, 6, 3));
            NDArray mem = CopyTask.normals(m, new long[]{1, 2}, "mem", 0, new Shape(2, 5, 4));
            Diagnostics.Report rep = Diagnostics.measure(new EglInterfaceProbe(model, p, x, mem), m);
            for (int r = 0; r < 2; r++) assertEquals(1, shareSum(rep, r), 1e-4);
            // reads zeroed: y = bias of read_out_net, so the loss is the MSE of x against that bias
            float[] xs = x.toFloatArray(), b = p.get("read_out_net.bias").toFloatArray();
            for (int r = 0; r < 2; r++) {
                double sum = 0;
                int per = xs.length / 2;
                for (int i = 0; i < per; i++) {
                    double d = xs[r * per + i] - b[r * 3 + i % 3];
                    sum += d * d;
                }
                assertEquals(sum / per, rep.ablatedLoss()[r], 1e-5);
            }
            assertEquals(5, rep.attention().get("write").usage()[1].length);
        }
    }
}
