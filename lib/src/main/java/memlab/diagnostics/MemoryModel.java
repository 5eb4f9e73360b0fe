package memlab.diagnostics;

import ai.djl.ndarray.NDManager;
import memlab.train.ParamSet;

import java.util.List;

/** What a model offers to be diagnosed: its parameters, their groups, and a pass with or without its reads. */
public interface MemoryModel {
    /** The trained parameters (leading run dimension R). */
    ParamSet params();

    /** Parameter groups whose gradient norms are compared, e.g. key, gate, controller, output. */
    List<ParamGroup> parameterGroups();

    /**
     * A forward pass on the model's fixed diagnostic batch.
     *
     * @param readsZeroed replace the memory reads by zeros (the ablation), everything else unchanged
     */
    Probe probe(NDManager m, boolean readsZeroed);
}
