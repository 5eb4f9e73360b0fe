package memlab.pmnet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import memlab.core.Check;
import memlab.mixers.SequenceModel;
import memlab.tasks.CopyPaste;
import memlab.train.Optimizer;
import memlab.train.Step;

/**
 * Training a {@link ByteModel} ({@link PhasorNet} with or without memory, the {@link LstmBaseline}) on {@link CopyPaste}: one fresh batch per
 * step from each run's own seed, cross-entropy at the answer positions, one optimiser step.
 */
public final class CopyPasteTraining {
    private CopyPasteTraining() {}

    /** Each run's loss, per-byte accuracy and exact retrieval on one batch. */
    public record Metrics(float[] loss, float[] accuracy, float[] exact) {}

    /** One training step on batch {@code index}; the metrics are those of the batch before the update. */
    public static Metrics step(ByteModel model, Optimizer optimizer, CopyPaste task, int batch, long[] seeds, long index) {
        try (Step step = Step.open(model.params().manager(), model.params().arrays(), optimizer.state())) {
            NDArray[] data = task.arrays(step.manager(), batch, seeds, index);
            SequenceModel.Result r;
            float[] exact;
            try (var gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(data[0]);
                r = ByteModel.loss(logits, data[1], data[2]);
                exact = CopyPaste.exactRetrieval(logits, data[1], data[2]);
                gc.backward(r.loss());
            }
            optimizer.step(model.params(), step.manager());
            return new Metrics(r.lossPerRun(), r.accuracy(), exact);
        }
    }

    /** Each run's metrics on {@code batches} held-out batches (indices from −1 down, never trained on). */
    public static Metrics evaluate(ByteModel model, CopyPaste task, int batch, long[] seeds, int batches) {
        Check.positive("batches", batches);
        int runs = seeds.length;
        float[] loss = new float[runs], acc = new float[runs], exact = new float[runs];
        for (int i = 0; i < batches; i++)
            try (Step step = Step.open(model.params().manager(), model.params().arrays())) {
                NDArray[] data = task.arrays(step.manager(), batch, seeds, -1 - i);
                NDArray logits = model.logits(data[0]);
                SequenceModel.Result r = ByteModel.loss(logits, data[1], data[2]);
                float[] e = CopyPaste.exactRetrieval(logits, data[1], data[2]);
                for (int k = 0; k < runs; k++) {
                    loss[k] += r.lossPerRun()[k] / batches;
                    acc[k] += r.accuracy()[k] / batches;
                    exact[k] += e[k] / batches;
                }
            }
        return new Metrics(loss, acc, exact);
    }
}
