package memlab.ntm;

import memlab.core.Check;
import memlab.diagnostics.Diagnostics;
import memlab.diagnostics.Trace;
import memlab.train.Trainer;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code dil-gradflow}, {@code dil-decorative}, {@code dil-usage}: the same copy task learnt by a
 * <i>strong</i> NTM (an LSTM controller whose state reaches the output directly: {@code y = W [h_t; r_t]})
 * and by a <i>hamstrung</i> one (a small controller, output from the reads alone: {@code y = W r_t}),
 * the remedy Santoro et al. (2016) describe as limiting the controller. Each is one batched model over
 * the seeds; during training the memory {@link memlab.diagnostics.Diagnostics} are traced every few
 * steps on a fixed batch of unseen sequences ({@link NtmProbe}): gradient share per parameter group,
 * saturation, ablation Δloss (reads zeroed), attention entropy and slot usage.
 */
public final class BypassExperiment {
    /** Condition name of the strong controller with the bypass. */
    public static final String STRONG = "strong controller, bypass";
    /** Condition name of the hamstrung controller. */
    public static final String HAMSTRUNG = "hamstrung controller";

    private BypassExperiment() {}

    /**
     * @param training    model (the strong one: must have the bypass), task, optimiser, steps
     * @param hamstrung   the hamstrung model: no bypass, same input/output and memory
     * @param lr          learning rate
     * @param clip        gradient clipping threshold ({@code +Infinity} = off)
     * @param seeds       seeds of each condition
     * @param every       diagnostics every {@code every} steps (and after the last)
     * @param probeLength sequence length of the diagnostic batch
     */
    public record Setup(NtmCopyTraining.Setup training, NtmConfig hamstrung, double lr, double clip, long[] seeds, int every, int probeLength) {
        public Setup {
            Check.notNull("training", training);
            Check.notNull("hamstrung", hamstrung);
            if (!training.model().bypass()) throw new IllegalArgumentException("the strong model must have the bypass (bypass = true)");
            if (hamstrung.bypass()) throw new IllegalArgumentException("the hamstrung model must not have the bypass (bypass = false)");
            if (hamstrung.input() != training.model().input() || hamstrung.output() != training.model().output())
                throw new IllegalArgumentException("the hamstrung model must have the strong model's input/output widths");
            seeds = Check.seeds("seeds", seeds);
            Check.positive("every", every);
            Check.positive("probeLength", probeLength);
        }

        @Override public long[] seeds() { return seeds.clone(); }

        NtmCopyTraining.Setup of(String condition) {
            NtmCopyTraining.Setup t = training;
            return condition.equals(STRONG) ? t : new NtmCopyTraining.Setup(hamstrung, t.task(), t.rule(), t.steps());
        }
    }

    /** Both conditions trained: their curves and traced diagnostics, keyed by {@link #STRONG} / {@link #HAMSTRUNG}. */
    public record Result(Setup setup, java.util.Map<String, NtmCopyTraining.Result> byCondition) {
        /** The traced diagnostics of both conditions in long format, with columns {@code condition} and {@code seed}. */
        public Table trace() {
            List<Table> parts = new ArrayList<>();
            byCondition.forEach((c, r) -> parts.add(TraceTables.trace(r.trace(), run -> c, run -> setup.seeds[run])));
            return TraceTables.concat(parts).setName("ntm-bypass-trace");
        }

        /** The training curves of both conditions, with columns {@code condition} and {@code seed}. */
        public Table curves() {
            List<Table> parts = new ArrayList<>();
            byCondition.forEach((c, r) -> parts.add(TraceTables.curves(r.recorder(), run -> c, run -> setup.seeds[run])));
            return TraceTables.concat(parts).setName("ntm-bypass-curves");
        }

        /** The last diagnostics of a condition (after the last training step). */
        public Diagnostics.Report last(String condition) {
            NtmCopyTraining.Result r = byCondition.get(condition);
            if (r == null) throw new IllegalArgumentException("no condition '" + condition + "'; conditions are " + byCondition.keySet());
            return r.trace().last();
        }

        /** The trace of a condition. */
        public Trace trace(String condition) {
            NtmCopyTraining.Result r = byCondition.get(condition);
            if (r == null) throw new IllegalArgumentException("no condition '" + condition + "'; conditions are " + byCondition.keySet());
            return r.trace();
        }
    }

    /** Trains the strong and the hamstrung model (constant memory init, no curriculum unless the task's runs ask), seeds batched. */
    public static Result train(Setup setup, boolean curriculum, Trainer.Listener listener) {
        java.util.Map<String, NtmCopyTraining.Result> out = new java.util.LinkedHashMap<>();
        long[] seeds = setup.seeds();
        List<NtmCopyTraining.Run> runs = new ArrayList<>();
        for (long s : seeds) runs.add(new NtmCopyTraining.Run(MemoryInit.CONSTANT, setup.lr(), setup.clip(), curriculum, s));
        int probeStep = setup.training().steps() + 1;   // bits no training step saw
        for (String c : List.of(STRONG, HAMSTRUNG)) {
            NtmCopyTraining.Setup t = setup.of(c);
            out.put(c, NtmCopyTraining.train(t, runs, listener, ntm -> new NtmProbe(ntm, t.task(), seeds, setup.probeLength(), probeStep), setup.every()));
        }
        return new Result(setup, out);
    }
}
