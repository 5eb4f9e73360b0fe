package memlab.ntm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.diagnostics.MemoryModel;
import memlab.diagnostics.Trace;
import memlab.tasks.BitCopyTask;
import memlab.train.Divergence;
import memlab.train.Optimizer;
import memlab.train.ParamSet;
import memlab.train.RunRecorder;
import memlab.train.Trainer;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains the {@link Ntm} on the {@link BitCopyTask}, several runs as one batched model (the
 * {@code dil-ntm-recipe} grid: memory initialisation × clipping × curriculum × seeds). A run whose
 * cost turns NaN/Inf is frozen and recorded as diverged while the others go on.
 *
 * <p>Recorded per step and run: {@code loss} (the cost, bits per sequence), {@code grad_norm}
 * (before clipping), {@code bit_errors} (wrong bits per sequence) and {@code length} (the step's
 * sequence length).
 */
public final class NtmCopyTraining {
    /** Metric: wrong output bits per sequence. */
    public static final String BIT_ERRORS = "bit_errors";
    /** Metric: the sequence length of the step. */
    public static final String LENGTH = "length";

    private NtmCopyTraining() {}

    /**
     * Shared by the runs trained together.
     *
     * @param model           sizes and wiring (input must be {@code bits + 1}, output {@code bits})
     * @param task            the copy task (batch, bits, longest length, curriculum pace)
     * @param rule            optimiser
     * @param steps           training steps, one fresh batch each
     */
    public record Setup(NtmConfig model, BitCopyTask task, Optimizer.Rule rule, int steps) {
        public Setup {
            Check.positive("steps", steps);
            if (model.input() != task.bits() + 1 || model.output() != task.bits())
                throw new IllegalArgumentException("model input/output must be bits + 1 / bits = " + (task.bits() + 1) + " / " + task.bits()
                        + ", got " + model.input() + " / " + model.output());
        }
    }

    /**
     * One run.
     *
     * @param init       memory initialisation
     * @param lr         learning rate, {@code > 0}
     * @param clip       global gradient-norm threshold, {@code +Infinity} = off
     * @param curriculum curriculum over length on
     * @param seed       seed of weights, random memory and data
     */
    public record Run(MemoryInit init, double lr, double clip, boolean curriculum, long seed) {
        public Run {
            if (init == null) throw new IllegalArgumentException("memoryInit must be one of [constant, random, learned], got null");
            Check.positive("lr", lr);
            if (!(clip > 0)) throw new IllegalArgumentException("clip must be > 0 (+Infinity = off), got " + clip);
        }

        /** A short label without the seed, e.g. {@code constant clip 10 curriculum}. */
        public String label() {
            return init.label() + (Double.isInfinite(clip) ? " noclip" : " clip " + clip) + (curriculum ? " curriculum" : " nocurriculum");
        }
    }

    /** The curves of a trained grid, and the memory diagnostics measured during training ({@code null} if none were asked for). */
    public record Result(RunRecorder recorder, Trace trace) {}

    /** Trains {@code runs} together for {@code setup.steps()} steps; the recorder holds their curves. */
    public static RunRecorder train(Setup setup, List<Run> runs, Trainer.Listener listener) {
        return train(setup, runs, listener, null, 1).recorder();
    }

    /**
     * As {@link #train(Setup, List, Trainer.Listener)}, and measures {@link memlab.diagnostics.Diagnostics}
     * on {@code probe.apply(ntm)} after the update of steps {@code 0, every, 2·every, …} and of the last step.
     *
     * @param probe what to diagnose, built from the trained NTM (e.g. an {@link NtmProbe}); {@code null}: nothing
     */
    public static Result train(Setup setup, List<Run> runs, Trainer.Listener listener, Function<Ntm, MemoryModel> probe, int every) {
        Check.positive("every", every);
        if (runs.isEmpty()) throw new IllegalArgumentException("runs must not be empty");
        int n = runs.size();
        long[] seeds = runs.stream().mapToLong(Run::seed).toArray();
        boolean[] curriculum = new boolean[n];
        for (int r = 0; r < n; r++) curriculum[r] = runs.get(r).curriculum();
        RunRecorder recorder = new RunRecorder("ntm-copy", n, Divergence.NON_FINITE);
        for (int r = 0; r < n; r++) {
            Run run = runs.get(r);
            recorder.meta(r, "memory_init", run.init().label()).meta(r, "lr", run.lr())
                    .meta(r, "clip", Double.isInfinite(run.clip()) ? "off" : String.valueOf(run.clip()))
                    .meta(r, "curriculum", run.curriculum()).meta(r, "seed", run.seed());
        }
        recorder.meta("setup", setup.toString());
        try (NDManager base = NDManager.newBaseManager(memlab.core.Devices.choose());
             ParamSet params = new ParamSet(base, n);
             Optimizer opt = Optimizer.of(setup.rule(), runs.stream().mapToDouble(Run::lr).toArray())
                     .clip(runs.stream().mapToDouble(Run::clip).toArray())) {
            Ntm ntm = new Ntm(params, setup.model(), runs.stream().map(Run::init).toArray(MemoryInit[]::new), seeds);
            BitCopyTask task = setup.task();
            Trace trace = probe == null ? null : new Trace(probe.apply(ntm), every);
            Trainer.fit(params, opt, recorder, setup.steps(), new Trainer.Objective() {
                @Override
                public Map<String, NDArray> forward(NDManager m, int step) {
                    BitCopyTask.Batch batch = task.batch(m, seeds, curriculum, step);
                    NDArray logits = ntm.forward(batch.inputs(), false).logits();
                    float[] len = new float[n];
                    for (int r = 0; r < n; r++) len[r] = batch.lengths()[r];
                    return Map.of(RunRecorder.LOSS, BitCopyTask.costBits(logits, batch),
                            BIT_ERRORS, m.create(BitCopyTask.bitErrors(logits, batch)), LENGTH, m.create(len));
                }

                @Override
                public void afterUpdate(NDManager m, int step) {
                    if (trace != null && (step % every == 0 || step == setup.steps() - 1)) trace.measure(step, m);
                }
            }, listener);
            return new Result(recorder, trace);
        }
    }
}
