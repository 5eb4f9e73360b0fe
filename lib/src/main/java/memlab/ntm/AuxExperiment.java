package memlab.ntm;

import memlab.core.Check;
import memlab.train.Trainer;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code dil-aux}: the strong NTM (controller state reaching the output) with vs without the auxiliary
 * {@link ReadReconstruction} loss, all runs one batched model (the runs without it have weight 0).
 * Memory use is traced as in {@link BypassExperiment} (ablation Δloss of the copy cost, attention),
 * accuracy is the copy task's wrong bits per sequence.
 */
public final class AuxExperiment {
    /** Condition name of the runs with the auxiliary loss. */
    public static final String WITH = "with reconstruction loss";
    /** Condition name of the runs without it. */
    public static final String WITHOUT = "without";

    private AuxExperiment() {}

    /**
     * @param training    model (should have the bypass: that is where memory turns decorative), task, optimiser, steps
     * @param weight      λ of the auxiliary loss in the "with" runs, {@code > 0}
     * @param lr          learning rate
     * @param clip        gradient clipping threshold ({@code +Infinity} = off)
     * @param curriculum  curriculum over length on
     * @param seeds       seeds of each condition
     * @param every       diagnostics every {@code every} steps (and after the last)
     * @param probeLength sequence length of the diagnostic batch
     */
    public record Setup(NtmCopyTraining.Setup training, double weight, double lr, double clip, boolean curriculum, long[] seeds,
                        int every, int probeLength) {
        public Setup {
            Check.notNull("training", training);
            if (!(weight > 0) || Double.isInfinite(weight)) throw new IllegalArgumentException("weight (λ of the reconstruction loss) must be finite and > 0, got " + weight);
            seeds = Check.seeds("seeds", seeds);
            Check.positive("every", every);
            Check.positive("probeLength", probeLength);
        }

        @Override public long[] seeds() { return seeds.clone(); }

        /** The runs: every seed with the loss, then every seed without. */
        public List<NtmCopyTraining.Run> runs() {
            List<NtmCopyTraining.Run> out = new ArrayList<>();
            for (double w : new double[]{weight, 0})
                for (long s : seeds) out.add(new NtmCopyTraining.Run(MemoryInit.CONSTANT, lr, clip, curriculum, s, w));
            return out;
        }
    }

    /** The trained runs. */
    public record Result(Setup setup, List<NtmCopyTraining.Run> runs, NtmCopyTraining.Result trained) {
        /** {@link #WITH} or {@link #WITHOUT} for run {@code r}. */
        public String condition(int r) {
            return runs.get(r).reconstruction() > 0 ? WITH : WITHOUT;
        }

        /** The traced diagnostics in long format, with {@code condition} and {@code seed}. */
        public Table trace() {
            return TraceTables.trace(trained.trace(), this::condition, r -> runs.get(r).seed()).setName("ntm-aux-trace");
        }

        /** The training curves, with {@code condition} and {@code seed}. */
        public Table curves() {
            return TraceTables.curves(trained.recorder(), this::condition, r -> runs.get(r).seed()).setName("ntm-aux-curves");
        }
    }

    /** Trains all runs as one batched model. */
    public static Result train(Setup setup, Trainer.Listener listener) {
        List<NtmCopyTraining.Run> runs = setup.runs();
        long[] seeds = runs.stream().mapToLong(NtmCopyTraining.Run::seed).toArray();
        int probeStep = setup.training().steps() + 1;
        NtmCopyTraining.Result r = NtmCopyTraining.train(setup.training(), runs, listener,
                ntm -> new NtmProbe(ntm, setup.training().task(), seeds, setup.probeLength(), probeStep), setup.every());
        return new Result(setup, runs, r);
    }
}
