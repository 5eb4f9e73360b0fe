package memlab.ntm;

import ai.djl.ndarray.NDManager;
import memlab.diagnostics.MemoryModel;
import memlab.diagnostics.ParamGroup;
import memlab.diagnostics.Probe;
import memlab.tasks.BitCopyTask;
import memlab.train.ParamSet;

import java.util.List;
import java.util.Map;

/**
 * The {@link Ntm} on a fixed copy-task batch, for {@link memlab.diagnostics.Diagnostics}: every run
 * sees sequences of the same length (the bits of its own seed), so no padding enters the
 * attention summaries. Attention kinds: {@code read} and {@code write} weightings of every step and head.
 */
public final class NtmProbe implements MemoryModel {
    private final Ntm ntm;
    private final BitCopyTask task;
    private final long[] seeds;
    private final int length, step;

    /**
     * @param seeds  data seed of each run
     * @param length sequence length of the diagnostic batch
     * @param step   which step's bits to use (e.g. one past the end of training: unseen data)
     */
    public NtmProbe(Ntm ntm, BitCopyTask task, long[] seeds, int length, int step) {
        if (seeds.length != ntm.params().runs())
            throw new IllegalArgumentException("need one seed per run: " + ntm.params().runs() + " runs, " + seeds.length + " seeds");
        this.ntm = ntm;
        this.task = task;
        this.seeds = seeds.clone();
        this.length = memlab.core.Check.positive("length", length);
        this.step = step;
    }

    @Override
    public ParamSet params() { return ntm.params(); }

    @Override
    public List<ParamGroup> parameterGroups() { return ntm.parameterGroups(); }

    @Override
    public Probe probe(NDManager m, boolean readsZeroed) {
        BitCopyTask.Batch batch = task.batchOfLength(m, seeds, length, step);
        Ntm.Pass pass = ntm.forward(batch.inputs(), readsZeroed);
        return new Probe(BitCopyTask.costBits(pass.logits(), batch), Map.of("read", pass.readWeights(), "write", pass.writeWeights()));
    }
}
