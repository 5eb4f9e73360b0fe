package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.diagnostics.MemoryModel;
import memlab.diagnostics.ParamGroup;
import memlab.diagnostics.Probe;
import memlab.tasks.MultiQueryRecall;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link SequenceModel} on a fixed {@link MultiQueryRecall} batch, for {@link memlab.diagnostics.Diagnostics}
 * and {@link memlab.diagnostics.Trace}: the loss is each run's cross-entropy at the answer positions;
 * the ablated pass zeroes the output of one layer's mixer (the "memory" whose use is in question,
 * e.g. the DeltaNet of a hybrid), so {@code Δloss} is what the rest of the model loses without it.
 * The mixers expose no addressing weights, so the probe reports no attention.
 *
 * <p>Parameter groups, per layer {@code l} (counted from 1 in the names): {@code "layer l mixer"} (its
 * mixer and short convolution) and {@code "layer l mlp"} (its MLP and norms).
 */
public final class RecallProbe implements MemoryModel {
    private final SequenceModel model;
    private final int zeroedLayer;
    private final int[] tokens, targets;
    private final float[] answers;
    private final Shape shape;

    /**
     * @param zeroedLayer the layer (from 0) whose mixer output the ablated pass zeroes
     * @param batch       sequences per run in the diagnostic batch
     * @param index       batch index of the task's generator (use one not trained on, e.g. −1000)
     */
    public RecallProbe(SequenceModel model, int zeroedLayer, MultiQueryRecall task, int batch, long[] seeds, long index) {
        this.model = model;
        this.zeroedLayer = Check.inRange("zeroedLayer", zeroedLayer, 0, model.layers() - 1);
        if (seeds.length != model.params().runs())
            throw new IllegalArgumentException("need one seed per run: " + model.params().runs() + " runs, " + seeds.length + " seeds");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] data = task.arrays(m, batch, seeds, index);
            tokens = data[0].toIntArray();
            targets = data[1].toIntArray();
            answers = data[2].toFloatArray();
            shape = data[0].getShape();
        }
    }

    /** The group name of layer {@code layer}'s mixer (from 0 in the argument, from 1 in the name). */
    public static String mixerGroup(int layer) {
        return "layer " + (layer + 1) + " mixer";
    }

    /** The group name of layer {@code layer}'s MLP. */
    public static String mlpGroup(int layer) {
        return "layer " + (layer + 1) + " mlp";
    }

    @Override
    public ParamSet params() { return model.params(); }

    @Override
    public List<ParamGroup> parameterGroups() {
        List<ParamGroup> groups = new ArrayList<>();
        for (int l = 0; l < model.layers(); l++) {
            groups.add(ParamGroup.of(mixerGroup(l), model.layerParameterNames(l).toArray(String[]::new)));
            groups.add(ParamGroup.of(mlpGroup(l), model.layerMlpParameterNames(l).toArray(String[]::new)));
        }
        return groups;
    }

    @Override
    public Probe probe(NDManager m, boolean readsZeroed) {
        model.ablate(zeroedLayer, readsZeroed);
        try {
            return new Probe(model.loss(m.create(tokens, shape), m.create(targets, shape), m.create(answers, shape)).runLoss(), Map.of());
        } finally {
            model.ablate(zeroedLayer, false);
        }
    }
}
