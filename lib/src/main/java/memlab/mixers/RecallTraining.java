package memlab.mixers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import memlab.core.Check;
import memlab.tasks.MultiQueryRecall;
import memlab.train.Optimizer;
import memlab.train.Step;

/**
 * Training a {@link SequenceModel} on {@link MultiQueryRecall}: one fresh batch per step, drawn from
 * each run's own seed, cross-entropy at the answer positions, one optimiser step.
 */
public final class RecallTraining {
    private RecallTraining() {}

    /** Each run's loss and accuracy on one batch. */
    public record Metrics(float[] loss, float[] accuracy) {}

    /**
     * One training step on batch {@code index} of each run's seed.
     *
     * @return each run's loss and accuracy on that batch (before the update)
     */
    public static Metrics step(SequenceModel model, Optimizer optimizer, MultiQueryRecall task,
                                            int batch, long[] seeds, long index) {
        try (Step step = Step.open(model.params().manager(), model.params().arrays(), optimizer.state())) {
            NDArray[] data = task.arrays(step.manager(), batch, seeds, index);
            SequenceModel.Result r;
            try (var gc = Engine.getInstance().newGradientCollector()) {
                r = model.loss(data[0], data[1], data[2]);
                gc.backward(r.loss());
            }
            optimizer.step(model.params(), step.manager());
            return new Metrics(r.lossPerRun(), r.accuracy());
        }
    }

    /** Each run's accuracy on {@code batches} held-out batches (indices from {@code -1} down, never trained on). */
    public static float[] accuracy(SequenceModel model, MultiQueryRecall task, int batch, long[] seeds, int batches) {
        Check.positive("batches", batches);
        float[] acc = new float[seeds.length];
        for (int i = 0; i < batches; i++)
            try (Step step = Step.open(model.params().manager(), model.params().arrays())) {
                NDArray[] data = task.arrays(step.manager(), batch, seeds, -1 - i);
                float[] a = model.loss(data[0], data[1], data[2]).accuracy();
                for (int r = 0; r < acc.length; r++) acc[r] += a[r] / batches;
            }
        return acc;
    }
}
