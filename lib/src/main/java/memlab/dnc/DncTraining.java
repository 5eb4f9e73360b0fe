package memlab.dnc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.tasks.BitCopyTask;
import memlab.train.Divergence;
import memlab.train.Optimizer;
import memlab.train.ParamSet;
import memlab.train.RunRecorder;
import memlab.train.Trainer;

import java.util.List;
import java.util.Map;

/**
 * Trains the {@link Dnc} on copy or repeat-copy ({@link DncTask}), several runs as one batched model.
 * A run whose cost turns NaN/Inf is frozen and recorded as diverged while the others go on.
 *
 * <p>Recorded per step and run: {@code loss} (the cost, bits per sequence), {@code grad_norm} (before
 * clipping), {@code bit_errors} (wrong output bits per sequence) and {@code length} (the step's L).
 * After training, one pass over a probe batch is kept as a {@link Snapshot} (usage over time, link
 * matrix, read and write weightings: the {@code pr-dnc} figure).
 */
public final class DncTraining {
    /** Metric: wrong output bits per sequence. */
    public static final String BIT_ERRORS = "bit_errors";
    /** Metric: the sequence length of the step. */
    public static final String LENGTH = "length";
    /** The step number the probe batch is drawn at (beyond any training step, so it is held out). */
    public static final int PROBE_STEP = Integer.MAX_VALUE;

    private DncTraining() {}

    /**
     * Shared by the runs trained together.
     *
     * @param model sizes and wiring (input and output as the task needs)
     * @param task  copy or repeat-copy
     * @param rule  optimiser
     * @param steps training steps, one fresh batch each
     */
    public record Setup(DncConfig model, DncTask task, Optimizer.Rule rule, int steps) {
        public Setup {
            if (model == null) throw new IllegalArgumentException("model must not be null");
            if (task == null) throw new IllegalArgumentException("task must be one of " + DncTask.NAMES + ", got null");
            if (rule == null) throw new IllegalArgumentException("rule must be one of " + java.util.Arrays.toString(Optimizer.Rule.values()) + ", got null");
            Check.positive("steps", steps);
            if (model.input() != task.input() || model.output() != task.output())
                throw new IllegalArgumentException("model input/output must be " + task.input() + " / " + task.output() + " for " + task.name()
                        + ", got " + model.input() + " / " + model.output());
        }
    }

    /**
     * One run.
     *
     * @param lr   learning rate, {@code > 0}
     * @param clip global gradient-norm threshold, {@code +Infinity} = off
     * @param seed seed of weights and data
     */
    public record Run(double lr, double clip, long seed) {
        public Run {
            Check.positive("lr", lr);
            if (!(clip > 0)) throw new IllegalArgumentException("clip must be > 0 (+Infinity = off), got " + clip);
        }
    }

    /** The curves of the trained runs, and one pass of the trained model over the probe batch. */
    public record Result(RunRecorder recorder, Snapshot snapshot) {}

    /** Trains {@code runs} together for {@code setup.steps()} steps. */
    public static Result train(Setup setup, List<Run> runs, Trainer.Listener listener) {
        if (runs == null || runs.isEmpty()) throw new IllegalArgumentException("runs must not be empty");
        int n = runs.size();
        long[] seeds = runs.stream().mapToLong(Run::seed).toArray();
        RunRecorder recorder = new RunRecorder("dnc-" + setup.task().name(), n, Divergence.NON_FINITE);
        for (int r = 0; r < n; r++) {
            Run run = runs.get(r);
            recorder.meta(r, "lr", run.lr()).meta(r, "clip", Double.isInfinite(run.clip()) ? "off" : String.valueOf(run.clip())).meta(r, "seed", run.seed());
        }
        recorder.meta("setup", setup.toString());
        try (NDManager base = NDManager.newBaseManager(memlab.core.Devices.choose());
             ParamSet params = new ParamSet(base, n);
             Optimizer opt = Optimizer.of(setup.rule(), runs.stream().mapToDouble(Run::lr).toArray())
                     .clip(runs.stream().mapToDouble(Run::clip).toArray())) {
            Dnc dnc = new Dnc(params, setup.model(), seeds);
            DncTask task = setup.task();
            Trainer.fit(params, opt, recorder, setup.steps(), new Trainer.Objective() {
                @Override
                public Map<String, NDArray> forward(NDManager m, int step) {
                    BitCopyTask.Batch batch = task.batch(m, seeds, step);
                    NDArray logits = dnc.forward(batch.inputs()).logits();
                    float[] len = new float[n];
                    for (int r = 0; r < n; r++) len[r] = batch.lengths()[r];
                    return Map.of(RunRecorder.LOSS, BitCopyTask.costBits(logits, batch),
                            BIT_ERRORS, m.create(BitCopyTask.bitErrors(logits, batch)), LENGTH, m.create(len));
                }
            }, listener);
            Snapshot snapshot;
            try (NDManager m = base.newSubManager()) {
                BitCopyTask.Batch probe = task.batch(m, seeds, PROBE_STEP);
                snapshot = Snapshot.of(dnc.forward(probe.inputs()), probe);
            }
            return new Result(recorder, snapshot);
        }
    }
}
