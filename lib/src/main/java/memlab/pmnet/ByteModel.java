package memlab.pmnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import memlab.mixers.SequenceModel;
import memlab.train.ParamSet;

/**
 * A next-byte model of the copy-paste comparison, {@code R} runs batched in the leading dimension:
 * {@link PhasorNet} (with or without memory) or the {@link LstmBaseline}. Training and evaluation
 * ({@link CopyPasteTraining}, {@link ByteLm}) see only this.
 */
public interface ByteModel extends AutoCloseable {
    /** Logits {@code (R, B, T, V)} for tokens {@code (R, B, T)}. */
    NDArray logits(NDArray tokens);

    /** The trainable parameters (leading run dimension). */
    ParamSet params();

    /** A short description for tables, e.g. "PMNet" or "LSTM 120". */
    String label();

    @Override
    void close();

    /** The settings of a model, enough to build it for a list of seeds (one per run). */
    interface Spec {
        /** A fresh model, one run per seed. */
        ByteModel create(NDManager parent, long[] seeds);

        /** Vocabulary size. */
        int vocab();

        /** The longest sequence the model takes. */
        int maxLength();

        /** A short description for tables and legends. */
        String label();
    }

    /**
     * Mean cross-entropy (nats) over the answer positions of each run, summed over runs, and each run's
     * accuracy there: the same numbers as {@link SequenceModel#lossFromLogits} (tested against it),
     * computed from the logits' own run count so that any model can use it.
     *
     * @param logits  {@code (R, B, T, V)}
     * @param targets {@code (R, B, T)} integers, any value off the answers
     * @param answers {@code (R, B, T)} 1 at answer positions, 0 elsewhere
     */
    static SequenceModel.Result loss(NDArray logits, NDArray targets, NDArray answers) {
        int runs = (int) logits.getShape().get(0);
        NDArray picked = logits.logSoftmax(-1).gather(targets.toType(DataType.INT64, false).expandDims(-1), -1).squeeze(-1);
        NDArray count = answers.reshape(runs, -1).sum(new int[]{1}).maximum(1f);
        NDArray perRun = picked.mul(answers).reshape(runs, -1).sum(new int[]{1}).div(count).neg();
        NDArray hit = logits.argMax(-1).toType(DataType.INT64, false).eq(targets.toType(DataType.INT64, false))
                .toType(DataType.FLOAT32, false).mul(answers).reshape(runs, -1).sum(new int[]{1}).div(count);
        return new SequenceModel.Result(perRun.sum(), perRun, perRun.toFloatArray(), hit.toFloatArray());
    }
}
