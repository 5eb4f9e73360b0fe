package memlab.ephemeral;

import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.tasks.chars.CharBatch;
import memlab.tasks.chars.CharTask;
import memlab.train.Divergence;
import memlab.train.Trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@link EphemeralTraining} for long budgets: the same steps (B fresh sequences per run, per-character
 * updates, then the slow update; a diverged run is frozen), with the metrics kept as block means
 * ({@link MetricLog}) and a {@link Checkpoint} every {@code every} steps, so that a training killed at
 * any moment continues from its last checkpoint rather than from step 0 — and gives the same numbers
 * as if it had never stopped (step s's data depend only on the run seeds and s).
 */
public final class LongTraining {
    private LongTraining() {}

    /**
     * How long and how it is kept.
     *
     * @param steps      training steps, a multiple of {@code stride}
     * @param stride     steps per recorded row ({@link MetricLog})
     * @param every      steps between checkpoints, a multiple of {@code stride}
     * @param checkpoint the checkpoint file: resumed from when it exists, (re)written every {@code every} steps and at the end
     */
    public record Plan(int steps, int stride, int every, Path checkpoint) {
        public Plan {
            Check.positive("steps", steps);
            Check.positive("stride", stride);
            Check.positive("every", every);
            Check.notNull("checkpoint", checkpoint);
            if (steps % stride != 0) throw new IllegalArgumentException("steps (" + steps + ") must be a multiple of stride (" + stride + ")");
            if (every % stride != 0) throw new IllegalArgumentException("every (" + every + ") must be a multiple of stride (" + stride + ")");
        }
    }

    /**
     * What a training produced.
     *
     * @param log               the metrics, block means
     * @param resumedFrom       the step the training continued from (0: started afresh)
     * @param stepSeconds       wall seconds of this call's steps (model steps only)
     * @param bookkeepingSeconds wall seconds of this call's metric logging and checkpoints
     * @param checkpoints       checkpoints written by this call
     */
    public record Result(List<RunConfig> runs, ModelConfig config, MetricLog log, int resumedFrom, double stepSeconds,
                         double bookkeepingSeconds, int checkpoints) {}

    /** Everything that decides the numbers of a training except its length. */
    static String fingerprint(String name, CharTask task, ModelConfig config, List<RunConfig> runs, int stride, Divergence rule) {
        return name + "|" + task.name() + "|" + config.fingerprint() + "|" + runs.stream().map(RunConfig::fingerprint).toList() + "|stride " + stride + "|" + rule;
    }

    /**
     * Trains (or continues) R runs of {@code config} on {@code task} as one batched model.
     *
     * @throws IllegalStateException when the checkpoint is damaged, of another training, or further
     *         than {@code plan.steps()} (see {@link Checkpoint})
     */
    public static Result train(String name, CharTask task, ModelConfig config, List<RunConfig> runs, Plan plan, Divergence rule,
                               Trainer.Listener listener) {
        Check.notNull("plan", plan);
        long[] seeds = runs.stream().mapToLong(RunConfig::seed).toArray();
        String print = fingerprint(name, task, config, runs, plan.stride(), rule);
        MetricLog log = new MetricLog(runs.size(), plan.stride(), rule);
        double stepSeconds = 0, bookSeconds = 0;
        int start = 0, written = 0;
        try (NDManager base = NDManager.newBaseManager(memlab.core.Devices.choose());
             EphemeralNet net = new EphemeralNet(base, config, runs, task.alphabet().size())) {
            if (Files.exists(plan.checkpoint())) {
                Checkpoint.Contents c = Checkpoint.read(plan.checkpoint(), print, log);
                if (c.step() > plan.steps())
                    throw new IllegalStateException("checkpoint " + plan.checkpoint() + " is at step " + c.step() + ", beyond the " + plan.steps()
                            + " steps asked for: ask for at least " + c.step() + " steps, or delete it to start from step 0");
                net.restore(c.state());
                start = c.step();
            }
            boolean any = anyLive(net);
            int s = start;
            for (; s < plan.steps() && any; s++) {
                memlab.notebook.Interrupt.check();
                long t0 = System.nanoTime();
                Map<String, float[]> metrics = net.step(CharBatch.draw(task, seeds, config.batch(), "train", s), true);
                long t1 = System.nanoTime();
                boolean[] alive = log.add(s, metrics);
                any = false;
                for (int r = 0; r < alive.length; r++) {
                    if (!alive[r] && net.isLive(r)) net.freeze(r);
                    any |= alive[r];
                }
                if ((s + 1) % plan.every() == 0 && s + 1 < plan.steps() && any && !log.midBlock()) {
                    Checkpoint.write(plan.checkpoint(), print, s + 1, log, net.snapshot());
                    written++;
                }
                stepSeconds += (t1 - t0) / 1e9;
                bookSeconds += (System.nanoTime() - t1) / 1e9;
                if (listener != null) listener.onStep(s, plan.steps(), metrics);
            }
            if (s > start && !log.midBlock()) {   // the end (or the step every run had diverged by); a resumed finished run writes nothing
                long t1 = System.nanoTime();
                Checkpoint.write(plan.checkpoint(), print, any ? s : plan.steps(), log, net.snapshot());
                written++;
                bookSeconds += (System.nanoTime() - t1) / 1e9;
            }
        }
        if (listener != null) listener.onEnd();
        return new Result(List.copyOf(runs), config, log, start, stepSeconds, bookSeconds, written);
    }

    private static boolean anyLive(EphemeralNet net) {
        for (int r = 0; r < net.runCount(); r++) if (net.isLive(r)) return true;
        return false;
    }
}
