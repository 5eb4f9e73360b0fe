package memlab.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import memlab.core.Check;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training loop every notebook uses: per step, in its own memory {@link Step}, forward,
 * backward, clip + update ({@link Optimizer}), record ({@link RunRecorder}), and stop updating any
 * run that diverged.
 *
 * <p>The objective returns a per-run loss vector {@code L} of shape {@code (R)}; the loop
 * back-propagates {@code Σ_r L_r}. Runs share no parameters, so run {@code r}'s gradient is exactly
 * {@code ∂L_r/∂θ_r}: a batched sweep trains like {@code R} separate runs.
 */
public final class Trainer {
    /** Metric name of the global gradient norm before clipping. */
    public static final String GRAD_NORM = "grad_norm";

    /** What one training step computes. */
    public interface Objective {
        /**
         * The forward pass of step {@code step}: must return {@value RunRecorder#LOSS} of shape
         * {@code (R)}, and may return other per-run metrics of shape {@code (R)}.
         */
        Map<String, NDArray> forward(NDManager m, int step);

        /** Metrics that need the gradients (read after backward, before the update). */
        default Map<String, NDArray> afterBackward(NDManager m, int step) {
            return Map.of();
        }

        /** Called after the update, still inside the step (e.g. to keep attention maps of chosen epochs). */
        default void afterUpdate(NDManager m, int step) {}
    }

    /** Listens to every recorded step (e.g. a progress display). */
    public interface Listener {
        void onStep(int step, int steps, Map<String, float[]> metrics);

        default void onEnd() {}
    }

    private Trainer() {}

    /**
     * Trains for {@code steps} steps. With no {@code listener}, progress (step, loss, time left) is
     * shown by {@link memlab.notebook.Progress}.
     *
     * @return {@code recorder}, finished
     */
    public static RunRecorder fit(ParamSet params, Optimizer optimizer, RunRecorder recorder, int steps,
                                  Objective objective, Listener listener) {
        Check.positive("steps", steps);
        // Live progress by default: one display updated in place in a notebook, one line headless.
        if (listener == null) listener = memlab.notebook.Progress.listener(RunRecorder.LOSS);
        if (recorder.runs() != params.runs())
            throw new IllegalArgumentException("recorder has " + recorder.runs() + " runs but the model has " + params.runs());
        for (int r = 0; r < params.runs(); r++) if (recorder.diverged(r)) optimizer.freeze(r);
        recorder.meta("device", params.manager().getDevice().toString());
        for (int s = 0; s < steps; s++) {
            memlab.notebook.Interrupt.check();
            try (Step step = Step.open(params.manager(), params.arrays(), optimizer.state())) {
                NDManager m = step.manager();
                Map<String, NDArray> out;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    out = objective.forward(m, s);
                    NDArray loss = out.get(RunRecorder.LOSS);
                    if (loss == null) throw new IllegalStateException("objective returned no '" + RunRecorder.LOSS + "'");
                    gc.backward(loss.sum());
                }
                Map<String, float[]> metrics = new LinkedHashMap<>();
                out.forEach((k, v) -> metrics.put(k, v.toFloatArray()));
                objective.afterBackward(m, s).forEach((k, v) -> metrics.put(k, v.toFloatArray()));
                metrics.put(GRAD_NORM, optimizer.step(params, m));
                objective.afterUpdate(m, s);
                boolean[] alive = recorder.record(s, metrics);
                for (int r = 0; r < alive.length; r++) if (!alive[r]) optimizer.freeze(r);
                if (listener != null) listener.onStep(s, steps, metrics);
            }
        }
        if (listener != null) listener.onEnd();
        return recorder.finish();
    }
}
