package memlab.ephemeral;

import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.tasks.chars.CharBatch;
import memlab.tasks.chars.CharTask;
import memlab.train.Divergence;
import memlab.train.RunRecorder;
import memlab.train.Trainer;

import java.util.List;
import java.util.Map;

/**
 * Trains R runs of one {@link ModelConfig} on a {@link CharTask} as one batched {@link EphemeralNet}.
 *
 * <p>One step = B fresh sequences per run (run r's from its own seed), processed character by
 * character with per-character updates, then the slow update. Every step's metrics go to a
 * {@link RunRecorder}; a run whose loss breaks the {@link Divergence} rule is marked diverged and
 * {@linkplain EphemeralNet#freeze frozen} (its numbers stay as they were) while the others go on.
 */
public final class EphemeralTraining {
    /** Default divergence rule: NaN/Inf or a mean loss above 50 nats (uniform guessing is ln V ≈ 2). */
    public static final Divergence EXPLODED = new Divergence(50);

    /** What a training produced. */
    public record Result(List<RunConfig> runs, ModelConfig config, RunRecorder recorder) {
        /** Final loss of run {@code r} (at divergence, the loss that broke the rule). */
        public double finalLoss(int r) { return recorder.last(r, RunRecorder.LOSS); }
    }

    private EphemeralTraining() {}

    /**
     * @param name     recorder name (file-name safe), e.g. {@code eph-sweep}
     * @param steps    number of steps, {@code > 0}
     * @param rule     when a run counts as diverged
     * @param listener progress, may be null
     */
    public static Result train(String name, CharTask task, ModelConfig config, List<RunConfig> runs, int steps,
                               Divergence rule, Trainer.Listener listener) {
        Check.positive("steps", steps);
        long[] seeds = runs.stream().mapToLong(RunConfig::seed).toArray();
        RunRecorder rec = new RunRecorder(name, runs.size(), rule);
        for (int r = 0; r < runs.size(); r++) {
            RunConfig rc = runs.get(r);
            rec.meta(r, "seed", rc.seed()).meta(r, "lr", rc.lr()).meta(r, "plasticity", rc.plasticity())
                    .meta(r, "fraction", rc.fraction()).meta(r, "forget_rate", rc.forgetRate()).meta(r, "clip", rc.clip())
                    .meta(r, "init", rc.init().label());
        }
        rec.meta("task", task.name()).meta("updater", config.updater().name().toLowerCase())
                .meta("recurrence", config.recurrence()).meta("reset", config.resetEachSequence())
                .meta("decay_target", config.decayTarget().name().toLowerCase()).meta("hidden", config.hidden())
                .meta("batch", config.batch()).meta("activation", config.activation().label());
        ai.djl.Device device = memlab.core.Devices.choose();
        rec.meta("device", device.toString());
        try (NDManager base = NDManager.newBaseManager(device);
             EphemeralNet net = new EphemeralNet(base, config, runs, task.alphabet().size())) {
            for (int s = 0; s < steps; s++) {
                memlab.notebook.Interrupt.check();
                CharBatch data = CharBatch.draw(task, seeds, config.batch(), "train", s);
                Map<String, float[]> metrics = net.step(data, true);
                boolean[] alive = rec.record(s, metrics);
                boolean any = false;
                for (int r = 0; r < alive.length; r++) {
                    if (!alive[r]) net.freeze(r);
                    any |= alive[r];
                }
                if (listener != null) listener.onStep(s, steps, metrics);
                if (!any) break;
            }
        }
        if (listener != null) listener.onEnd();
        return new Result(List.copyOf(runs), config, rec.finish());
    }
}
