package memlab.memn2n;

import ai.djl.engine.Engine;
import memlab.core.Check;
import memlab.tasks.BabiStories;
import memlab.tasks.Story;
import memlab.tasks.StoryBatch;
import memlab.tasks.Vocabulary;
import memlab.train.Optimizer;
import memlab.train.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * Training a {@link MemN2N} on {@link BabiStories}: a fresh batch of stories per step from each run's seed,
 * cross-entropy of the answer word, one optimiser step. Held-out stories use negative indices.
 */
public final class StoryTraining {
    private StoryTraining() {}

    /** Each run's loss and accuracy on one batch, before the update. */
    public record Metrics(float[] loss, float[] accuracy) {}

    /** The stories of batch {@code index} of every run, encoded for {@code model}. */
    public static StoryBatch batch(MemN2N model, BabiStories task, Vocabulary vocabulary, int batch, long[] seeds, long index) {
        Check.positive("batch", batch);
        List<List<Story>> perRun = new ArrayList<>(seeds.length);
        for (long seed : seeds) perRun.add(task.stories(batch, seed, index));
        return StoryBatch.encode(perRun, vocabulary, model.config().memory(), model.config().words());
    }

    /** One training step on batch {@code index} of each run's seed. */
    public static Metrics step(MemN2N model, Optimizer optimizer, BabiStories task, Vocabulary vocabulary, int batch, long[] seeds, long index) {
        return step(model, optimizer, batch(model, task, vocabulary, batch, seeds, index));
    }

    /** One training step on stories already encoded (the benchmark reuses one batch). */
    public static Metrics step(MemN2N model, Optimizer optimizer, StoryBatch data) {
        try (Step step = Step.open(model.params().manager(), model.params().arrays(), optimizer.state())) {
            MemN2N.Score s;
            try (var gc = Engine.getInstance().newGradientCollector()) {
                s = MemN2N.score(model.forward(data, step.manager()).logits(), data, step.manager());
                gc.backward(s.loss());             // the gradient of Σ_r loss_r: DJL seeds every run's loss with 1
            }
            optimizer.step(model.params(), step.manager());
            return new Metrics(s.loss().toFloatArray(), s.accuracy());
        }
    }

    /** Each run's answer accuracy on {@code batches} held-out batches. */
    public static float[] accuracy(MemN2N model, BabiStories task, Vocabulary vocabulary, int batch, long[] seeds, int batches) {
        Check.positive("batches", batches);
        float[] acc = new float[seeds.length];
        for (int i = 0; i < batches; i++) {
            StoryBatch data = batch(model, task, vocabulary, batch, seeds, -1 - i);
            try (Step step = Step.open(model.params().manager(), model.params().arrays())) {
                float[] a = MemN2N.score(model.forward(data, step.manager()).logits(), data, step.manager()).accuracy();
                for (int r = 0; r < acc.length; r++) acc[r] += a[r] / batches;
            }
        }
        return acc;
    }
}
