package memlab.diagnostics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Map;

/**
 * Measures how a {@link MemoryModel} uses its memory, on the model's diagnostic batch:
 * <ol>
 *   <li>an intact pass with backward: {@link GroupGradients} (the gradients are cleared before and after,
 *       so it can run between training steps) and an {@link AttentionSummary} per attention kind;</li>
 *   <li>a pass with reads replaced by zeros, no gradient: the ablation
 *       {@code Δloss_r = L_r(reads = 0) − L_r(intact)}. Near zero: the model does not use what it reads
 *       (its memory is decorative).</li>
 * </ol>
 */
public final class Diagnostics {
    private Diagnostics() {}

    /** Everything one measurement found, per run. */
    public record Report(GroupGradients gradients, Map<String, AttentionSummary> attention, double[] loss, double[] ablatedLoss) {
        /** {@code L_r(reads = 0) − L_r(intact)} of each run. */
        public double[] deltaLoss() {
            double[] d = new double[loss.length];
            for (int r = 0; r < d.length; r++) d[r] = ablatedLoss[r] - loss[r];
            return d;
        }

        /**
         * Long format for plotting: columns {@code run}, {@code measure} ({@code grad_norm},
         * {@code grad_share}, {@code saturation}, {@code entropy}, {@code effective_slots},
         * {@code loss}, {@code ablated_loss}, {@code delta_loss}), {@code of} (group or attention
         * kind, empty for losses), {@code value}.
         */
        public Table table() {
            IntColumn run = IntColumn.create("run");
            StringColumn measure = StringColumn.create("measure"), of = StringColumn.create("of");
            DoubleColumn value = DoubleColumn.create("value");
            for (int r = 0; r < loss.length; r++) {
                for (String g : gradients.groups()) {
                    run.append(r); measure.append("grad_norm"); of.append(g); value.append(gradients.norm(r, g));
                    run.append(r); measure.append("grad_share"); of.append(g); value.append(gradients.share(r, g));
                }
                for (Map.Entry<String, AttentionSummary> e : attention.entrySet()) {
                    AttentionSummary a = e.getValue();
                    run.append(r); measure.append("saturation"); of.append(e.getKey()); value.append(a.saturation()[r]);
                    run.append(r); measure.append("entropy"); of.append(e.getKey()); value.append(a.entropy()[r]);
                    run.append(r); measure.append("effective_slots"); of.append(e.getKey()); value.append(a.effectiveSlots()[r]);
                }
                run.append(r); measure.append("loss"); of.append(""); value.append(loss[r]);
                run.append(r); measure.append("ablated_loss"); of.append(""); value.append(ablatedLoss[r]);
                run.append(r); measure.append("delta_loss"); of.append(""); value.append(deltaLoss()[r]);
            }
            return Table.create("memory-diagnostics", run, measure, of, value);
        }
    }

    /** Measures {@code model}; every array it creates lives in a sub-manager of {@code parent}, closed on return. */
    public static Report measure(MemoryModel model, NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            m.tempAttachAll(model.params().arrays());
            model.params().zeroGrad();
            Probe intact;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                intact = model.probe(m, false);
                gc.backward(intact.loss().sum());
            }
            GroupGradients grads = GroupGradients.of(model.params(), model.parameterGroups());
            model.params().zeroGrad();
            Map<String, AttentionSummary> attention = new java.util.TreeMap<>();   // kinds in name order
            intact.attention().forEach((k, v) -> attention.put(k, AttentionSummary.of(v)));
            double[] loss = toDouble(intact.loss().toFloatArray());
            double[] ablated = toDouble(model.probe(m, true).loss().toFloatArray());
            return new Report(grads, attention, loss, ablated);
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
