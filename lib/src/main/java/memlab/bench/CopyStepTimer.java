package memlab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import memlab.tasks.BitCopyTask;
import memlab.train.Optimizer;
import memlab.train.ParamSet;
import memlab.train.Step;

import java.util.function.Function;

/**
 * One warm copy-task training loop of a memory model in memlab (R runs as a batch dimension, seeds
 * 0..R−1, Adam 1e-4 with clipping at 10 per run, copy sequences of a fixed length): model, optimiser
 * and task kept across timing chunks. The Java side of the NTM and DNC benchmarks, which differ only
 * in the model's forward pass.
 */
final class CopyStepTimer implements AutoCloseable {
    private final NDManager base = NDManager.newBaseManager(memlab.core.Devices.choose());
    private final ParamSet params;
    private final long[] seeds;
    private final Optimizer opt;
    private final Function<NDArray, NDArray> logits;
    private final BitCopyTask task;
    private final int length;
    private int step;

    /**
     * @param model builds the model in the given parameters and returns its forward pass, inputs → logits
     */
    CopyStepTimer(int bits, int batch, int length, Function<ParamSet, Function<NDArray, NDArray>> model) {
        this(1, bits, batch, length, model);
    }

    /**
     * @param runs  runs trained as one batched model (the model must build that many)
     * @param model builds the model in the given parameters and returns its forward pass, inputs → logits
     */
    CopyStepTimer(int runs, int bits, int batch, int length, Function<ParamSet, Function<NDArray, NDArray>> model) {
        this.params = new ParamSet(base, runs);
        this.seeds = java.util.stream.LongStream.range(0, runs).toArray();
        this.opt = Optimizer.adam(1e-4).clip(10).forRuns(runs);
        this.logits = model.apply(params);
        this.task = new BitCopyTask(batch, bits, length, 1);
        this.length = length;
    }

    /** Trains {@code steps} steps; seconds per step. */
    double secondsPerStep(int steps) {
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            try (Step st = Step.open(params.manager(), params.arrays(), opt.state())) {
                NDManager m = st.manager();
                BitCopyTask.Batch batch = task.batchOfLength(m, seeds, length, step++);
                NDArray cost;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    cost = BitCopyTask.costBits(logits.apply(batch.inputs()), batch);
                    gc.backward(cost.sum());
                }
                cost.toFloatArray();
                opt.step(params, m);
            }
        }
        return (System.nanoTime() - t0) / 1e9 / steps;
    }

    @Override
    public void close() {
        opt.close();
        params.close();
        base.close();
    }
}
