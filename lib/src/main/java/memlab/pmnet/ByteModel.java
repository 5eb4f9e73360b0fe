package memlab.pmnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

    /** {@link SequenceModel#answerLoss}: the loss and accuracy at the answer positions, for any of these models. */
    static SequenceModel.Result loss(NDArray logits, NDArray targets, NDArray answers) {
        return SequenceModel.answerLoss(logits, targets, answers);
    }
}
