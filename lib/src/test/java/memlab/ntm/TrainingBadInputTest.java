package memlab.ntm;

import ai.djl.ndarray.NDManager;
import memlab.diagnostics.Trace;
import memlab.tasks.BitCopyTask;
import memlab.train.Optimizer;
import memlab.train.ParamSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static memlab.ntm.NtmBadInputTest.fails;

/** The bad input beyond the model's sizes: the task, the training settings, the probe and the trace fail fast, naming the argument. */
class TrainingBadInputTest {
    static final NtmConfig MODEL = new NtmConfig(4, 3, Controller.LSTM, 4, 8, 2, 1, 1, 1, true);

    @Test
    void taskSizes() {
        fails(() -> new BitCopyTask(2, 0, 5, 1), "bits", "> 0");
        fails(() -> new BitCopyTask(2, 3, 5, 0), "curriculumSteps", "> 0");
        try (NDManager m = NDManager.newBaseManager()) {
            fails(() -> new BitCopyTask(2, 3, 5, 1).batchOfLength(m, new long[]{1}, 0, 0), "length", "> 0");
            fails(() -> new BitCopyTask(2, 3, 5, 1).batch(m, new long[]{1, 2}, new boolean[]{true}, 0), "curriculum switch", "2 seeds");
        }
    }

    @Test
    void trainingSettings() {
        BitCopyTask task = new BitCopyTask(2, 3, 5, 1);
        fails(() -> new NtmCopyTraining.Setup(MODEL, task, Optimizer.Rule.ADAM, 0), "steps", "> 0");
        fails(() -> new NtmCopyTraining.Setup(MODEL, new BitCopyTask(2, 4, 5, 1), Optimizer.Rule.ADAM, 5), "bits + 1", "5 / 4");
        fails(() -> new NtmCopyTraining.Run(MemoryInit.CONSTANT, 0, 10, false, 1), "lr", "> 0");
        fails(() -> new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-3, 0, false, 1), "clip", "> 0");
        fails(() -> new NtmCopyTraining.Run(null, 1e-3, 10, false, 1), "memoryInit", "constant", "random", "learned");
        NtmCopyTraining.Setup setup = new NtmCopyTraining.Setup(MODEL, task, Optimizer.Rule.ADAM, 2);
        fails(() -> NtmCopyTraining.train(setup, List.of(), NtmBatchedRunsTest.QUIET), "runs", "empty");
        fails(() -> NtmCopyTraining.train(setup, List.of(new NtmCopyTraining.Run(MemoryInit.CONSTANT, 1e-3, 10, false, 1)), NtmBatchedRunsTest.QUIET, null, 0),
                "every", "> 0");
        fails(() -> MemoryInit.parse(null), "memoryInit", "constant");
        fails(() -> Controller.parse(null), "controller", "lstm");
    }

    @Test
    void probeAndTrace() {
        try (NDManager m = NDManager.newBaseManager(); ParamSet p = new ParamSet(m, 2)) {
            Ntm ntm = new Ntm(p, MODEL, new MemoryInit[]{MemoryInit.CONSTANT, MemoryInit.RANDOM}, new long[]{1, 2});
            BitCopyTask task = new BitCopyTask(2, 3, 5, 1);
            fails(() -> new NtmProbe(ntm, task, new long[]{1}, 3, 0), "one seed per run", "2 runs");
            fails(() -> new NtmProbe(ntm, task, new long[]{1, 2}, 0, 0), "length", "> 0");
            fails(() -> new Trace(new NtmProbe(ntm, task, new long[]{1, 2}, 3, 0), 0), "every", "> 0");
        }
    }
}
