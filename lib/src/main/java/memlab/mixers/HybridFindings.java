package memlab.mixers;

import memlab.notebook.Outcome;
import memlab.stats.Difference;
import memlab.stats.Finding;
import memlab.stats.Numbers;
import memlab.stats.Spread;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code dil-hybrid} verdict from a {@link HybridExperiment} run. The essay's two claims:
 * <ol>
 *   <li>next to full attention a recurrent layer is decorative: zeroing the DeltaNet of
 *       attention → DeltaNet costs no accuracy (within {@link RecallFindings#TOLERANCE});</li>
 *   <li>the order matters, attention placed first dominates: zeroing the DeltaNet costs more when it
 *       comes first (DeltaNet → attention) than after attention, and it receives a larger share of
 *       the gradient there (share averaged over the measured steps of each seed).</li>
 * </ol>
 * A hybrid whose intact accuracy stays below {@link RecallFindings#LEARNT} did not learn the task: an
 * ablation of it says nothing, so the parts that need it are {@link Outcome#UNTESTABLE}.
 */
public final class HybridFindings {
    private HybridFindings() {}

    /** The result whose layers are exactly {@code layers}, if the run has it. */
    static Optional<HybridExperiment.Result> find(List<HybridExperiment.Result> results, MixerSpec.Kind... layers) {
        return results.stream().filter(r -> {
            List<MixerSpec> l = r.hybrid().layers();
            if (l.size() != layers.length) return false;
            for (int i = 0; i < layers.length; i++) if (l.get(i).kind() != layers[i]) return false;
            return true;
        }).findFirst();
    }

    /** Why {@code r} cannot be judged (missing or not learnt), or null. */
    static String notLearnt(Optional<HybridExperiment.Result> r, String what) {
        if (r.isEmpty()) return what + " is not in this run";
        double acc = Spread.of(r.get().accuracy()).mean();
        if (!(acc >= RecallFindings.LEARNT))
            return what + " reached only " + Numbers.percent(acc) + " held-out accuracy (below " + Numbers.percent(RecallFindings.LEARNT)
                    + "): it did not learn the task, so zeroing a layer says nothing";
        return null;
    }

    /** Claim 1: zeroing the DeltaNet after attention costs no accuracy; the text adds every hybrid's drop. */
    public static Finding decorativeNextToAttention(List<HybridExperiment.Result> results) {
        var attDelta = find(results, MixerSpec.Kind.ATTENTION, MixerSpec.Kind.DELTA_NET);
        String why = notLearnt(attDelta, "attention → deltanet");
        if (why != null) return Finding.untestable("decorative: " + why);
        double[] drop = attDelta.get().drop();
        Difference d = Difference.of(drop, new double[drop.length], RecallFindings.TOLERANCE);
        boolean holds = d.direction() == Difference.Direction.WITHIN_TOLERANCE;
        return Finding.of(holds, "zeroing the deltanet after attention costs " + Numbers.percent(d.a().mean())
                + " accuracy (" + (holds ? "within" : "beyond") + " " + Numbers.percent(RecallFindings.TOLERANCE) + "); " + drops(results));
    }

    /** Claim 2: the DeltaNet matters more first than after attention, in accuracy drop and in gradient share. */
    public static Finding orderMatters(List<HybridExperiment.Result> results) {
        var attDelta = find(results, MixerSpec.Kind.ATTENTION, MixerSpec.Kind.DELTA_NET);
        var deltaAtt = find(results, MixerSpec.Kind.DELTA_NET, MixerSpec.Kind.ATTENTION);
        String why = notLearnt(attDelta, "attention → deltanet");
        if (why == null) why = notLearnt(deltaAtt, "deltanet → attention");
        if (why != null) return Finding.untestable("order: " + why);
        Difference drop = Difference.of(deltaAtt.get().drop(), attDelta.get().drop(), RecallFindings.TOLERANCE);
        Difference share = Difference.of(meanShare(deltaAtt.get()), meanShare(attDelta.get()), 0);
        List<Finding> parts = new ArrayList<>();
        parts.add(new Finding(drop.against(Difference.Direction.HIGHER),
                drop.describe("accuracy drop when the deltanet is zeroed", "deltanet first", "deltanet after attention")));
        parts.add(new Finding(share.against(Difference.Direction.HIGHER),
                share.describe("deltanet's gradient share over training", "deltanet first", "deltanet after attention")));
        return Finding.combine(parts);
    }

    /** Both claims. */
    public static Finding verdict(List<HybridExperiment.Result> results) {
        String why = notLearnt(find(results, MixerSpec.Kind.ATTENTION, MixerSpec.Kind.DELTA_NET), "attention → deltanet");
        if (why != null) return Finding.untestable(why);
        return Finding.combine(decorativeNextToAttention(results), orderMatters(results));
    }

    /** Per seed, the recurrent layer's gradient share averaged over the measured steps. */
    static double[] meanShare(HybridExperiment.Result r) {
        double[][] s = r.share();
        double[] m = new double[r.seeds().length];
        for (int k = 0; k < m.length; k++) {
            double[] col = new double[s.length];
            for (int i = 0; i < s.length; i++) col[i] = s[i][k];
            m[k] = Spread.of(col).mean();
        }
        return m;
    }

    private static String drops(List<HybridExperiment.Result> results) {
        StringBuilder sb = new StringBuilder("accuracy drop when the recurrent layer is zeroed: ");
        for (int i = 0; i < results.size(); i++) {
            HybridExperiment.Result r = results.get(i);
            sb.append(i == 0 ? "" : ", ").append(r.hybrid().name()).append(" (layer ").append(r.hybrid().zeroedLayer() + 1).append(") ")
                    .append(Numbers.percent(Spread.of(r.drop()).mean())).append(" of ").append(Numbers.percent(Spread.of(r.accuracy()).mean()));
        }
        return sb.toString();
    }
}
