package memlab.ntm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import memlab.core.Check;
import memlab.diagnostics.MemoryModel;
import memlab.diagnostics.Trace;
import memlab.nn.Linear;
import memlab.tasks.BitCopyTask;
import memlab.train.DeferredWeightGradients;
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
 * sequence length). When some run trains with the auxiliary {@link ReadReconstruction} loss (weight
 * {@code λ > 0}), {@code loss} is what that run minimises, {@code cost + λ · reconstruction}, and
 * {@code cost} and {@code reconstruction} are recorded apart.
 */
public final class NtmCopyTraining {
    /** Metric: wrong output bits per sequence. */
    public static final String BIT_ERRORS = "bit_errors";
    /** Metric: the sequence length of the step. */
    public static final String LENGTH = "length";
    /** Metric (only with an auxiliary loss): the copy cost alone, bits per sequence. */
    public static final String COST = "cost";
    /** Metric (only with an auxiliary loss): the {@link ReadReconstruction} loss, bits per sequence. */
    public static final String RECONSTRUCTION = "reconstruction";

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
     * @param reconstruction weight λ of the auxiliary {@link ReadReconstruction} loss, {@code >= 0} (0 = none)
     */
    public record Run(MemoryInit init, double lr, double clip, boolean curriculum, long seed, double reconstruction) {
        public Run {
            if (init == null) throw new IllegalArgumentException("memoryInit must be one of [constant, random, learned], got null");
            Check.positive("lr", lr);
            if (!(clip > 0)) throw new IllegalArgumentException("clip must be > 0 (+Infinity = off), got " + clip);
            if (!(reconstruction >= 0) || Double.isInfinite(reconstruction))
                throw new IllegalArgumentException("reconstruction (auxiliary loss weight) must be finite and >= 0, got " + reconstruction);
        }

        /** A run without the auxiliary loss. */
        public Run(MemoryInit init, double lr, double clip, boolean curriculum, long seed) {
            this(init, lr, clip, curriculum, seed, 0);
        }

        /** A short label without the seed, e.g. {@code constant clip 10 curriculum}. */
        public String label() {
            return init.label() + (Double.isInfinite(clip) ? " noclip" : " clip " + clip) + (curriculum ? " curriculum" : " nocurriculum")
                    + (reconstruction > 0 ? " reconstruction " + reconstruction : "");
        }
    }

    /** The curves of a trained grid, and the memory diagnostics measured during training ({@code null} if none were asked for). */
    public record Result(RunRecorder recorder, Trace trace) {}

    /**
     * Per-step weight-gradient size above which training defers it to once per sequence
     * ({@link DeferredWeightGradients}); tests set 0 to run small models through the deferred path.
     */
    static long deferMinBytes = DeferredWeightGradients.MIN_BYTES;

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
                    .meta(r, "curriculum", run.curriculum()).meta(r, "seed", run.seed()).meta(r, "reconstruction", run.reconstruction());
        }
        recorder.meta("setup", setup.toString());
        try (NDManager base = NDManager.newBaseManager(memlab.core.Devices.choose());
             ParamSet params = new ParamSet(base, n);
             Optimizer opt = Optimizer.of(setup.rule(), runs.stream().mapToDouble(Run::lr).toArray())
                     .clip(runs.stream().mapToDouble(Run::clip).toArray())) {
            Ntm ntm = new Ntm(params, setup.model(), runs.stream().map(Run::init).toArray(MemoryInit[]::new), seeds);
            BitCopyTask task = setup.task();
            float[] lambda = new float[n];
            for (int r = 0; r < n; r++) lambda[r] = (float) runs.get(r).reconstruction();
            boolean aux = runs.stream().anyMatch(r -> r.reconstruction() > 0);
            // created only when used, so grids without the auxiliary loss keep exactly their parameters
            Linear decoder = aux ? new Linear(params, "reconstruction", setup.model().readWidth(), task.bits(), seeds) : null;
            Trace trace = probe == null ? null : new Trace(probe.apply(ntm), every);
            Trainer.fit(params, opt, recorder, setup.steps(), new Trainer.Objective() {
                // a wide sweep's per-step weight gradients, formed once per sequence after the backward pass
                final DeferredWeightGradients deferred = new DeferredWeightGradients(deferMinBytes);

                @Override
                public Map<String, NDArray> forward(NDManager m, int step) {
                    BitCopyTask.Batch batch = task.batch(m, seeds, curriculum, step);
                    // each run only for its own steps: padding would cost the longest length for every run
                    Ntm.Pass pass = ntm.forward(params.all(), batch.inputs(), false, batch.ownSteps(), deferred);
                    NDArray logits = pass.logits();
                    float[] len = new float[n];
                    for (int r = 0; r < n; r++) len[r] = batch.lengths()[r];
                    NDArray cost = BitCopyTask.costBits(logits, batch);
                    Map<String, NDArray> out = new java.util.LinkedHashMap<>();
                    out.put(RunRecorder.LOSS, cost);
                    if (decoder != null) {
                        long[] rs = pass.reads().getShape().getShape();
                        NDArray decoded = decoder.forward(pass.reads().reshape(n, rs[1] * rs[2], rs[3])).reshape(n, rs[1], rs[2], task.bits());
                        NDArray rec = ReadReconstruction.costBits(decoded, batch);
                        out.put(RunRecorder.LOSS, cost.add(rec.mul(m.create(lambda))));
                        out.put(COST, cost);
                        out.put(RECONSTRUCTION, rec);
                    }
                    out.put(BIT_ERRORS, m.create(BitCopyTask.bitErrors(logits, batch)));
                    out.put(LENGTH, m.create(len));
                    return out;
                }

                @Override
                public Map<String, NDArray> afterBackward(NDManager m, int step) {
                    deferred.apply();
                    return Map.of();
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
