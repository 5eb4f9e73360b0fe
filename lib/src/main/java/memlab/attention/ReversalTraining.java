package memlab.attention;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import memlab.core.Check;
import memlab.core.Seeds;
import memlab.tasks.SequenceReversal;
import memlab.train.Optimizer;
import memlab.train.Step;

import java.util.SplittableRandom;

/**
 * Training a {@link Seq2Seq} on {@link SequenceReversal}: one fresh batch per step from each run's seed,
 * cross-entropy per symbol (plus the REINFORCE surrogate for hard attention), one optimiser step.
 */
public final class ReversalTraining {
    private ReversalTraining() {}

    /** Each run's cross-entropy per symbol and symbol accuracy on one batch, before the update. */
    public record Metrics(float[] loss, float[] accuracy) {}

    /**
     * One training step on batch {@code index} of each run's seed.
     *
     * @param baseline the REINFORCE baseline of each run (hard attention; ignored otherwise, may be null then)
     */
    public static Metrics step(Seq2Seq model, Optimizer optimizer, SequenceReversal task, int batch, long[] seeds,
                               long index, Reinforce baseline) {
        boolean hard = model.config().attention() == Attention.HARD;
        if (hard && baseline == null) throw new IllegalArgumentException("baseline must not be null for hard attention");
        try (Step step = Step.open(model.params().manager(), model.params().arrays(), optimizer.state())) {
            NDArray[] data = task.arrays(step.manager(), batch, seeds, index);
            Seq2Seq.Score score;
            try (var gc = Engine.getInstance().newGradientCollector()) {
                Seq2Seq.Pass pass = model.forward(data[0], hard ? sampler(seeds, index) : null);
                score = Seq2Seq.score(pass.logits(), data[1]);
                gc.backward(model.trainingLoss(pass, score, hard ? baseline.baseline() : null).sum());
            }
            optimizer.step(model.params(), step.manager());
            if (hard) baseline.update(score.logLikelihood());
            return new Metrics(score.loss().toFloatArray(), score.accuracy());
        }
    }

    /** Each run's symbol accuracy and exact-sequence rate on {@code batches} held-out batches (indices −1, −2, …). */
    public static float[][] accuracy(Seq2Seq model, SequenceReversal task, int batch, long[] seeds, int batches) {
        Check.positive("batches", batches);
        float[] acc = new float[seeds.length], exact = new float[seeds.length];
        for (int i = 0; i < batches; i++)
            try (Step step = Step.open(model.params().manager(), model.params().arrays())) {
                NDArray[] data = task.arrays(step.manager(), batch, seeds, -1 - i);
                Seq2Seq.Score s = Seq2Seq.score(model.forward(data[0], null).logits(), data[1]);
                for (int r = 0; r < acc.length; r++) {
                    acc[r] += s.accuracy()[r] / batches;
                    exact[r] += s.exact()[r] / batches;
                }
            }
        return new float[][]{acc, exact};
    }

    /** The hard-attention draws of batch {@code index}: one stream per run, from its seed. */
    static SplittableRandom[] sampler(long[] seeds, long index) {
        SplittableRandom[] rngs = new SplittableRandom[seeds.length];
        for (int r = 0; r < seeds.length; r++) rngs[r] = Seeds.stream(seeds[r], "hard-attention", index);
        return rngs;
    }
}
