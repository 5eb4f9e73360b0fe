package memlab.primer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import memlab.core.Check;
import memlab.diagnostics.MemoryModel;
import memlab.diagnostics.ParamGroup;
import memlab.diagnostics.Probe;
import memlab.ntm.NtmCopyTraining;
import memlab.ntm.NtmProbe;
import memlab.train.ParamSet;
import memlab.train.RunRecorder;
import memlab.train.Trainer;

import java.util.List;

/**
 * An NTM trained on copy ({@link NtmCopyTraining}, its runs batched), and the write and read weightings of
 * the trained model on one unseen sequence of a fixed length per run: the {@code pr-ntm} figure's
 * "diagonal" (Graves, Wayne, Danihelka 2014, fig. 6). The pass is taken through the training's own
 * diagnostic hook ({@link NtmProbe} after the last update), so no second training loop exists.
 */
public final class NtmCopyWeightings {
    private NtmCopyWeightings() {}

    /**
     * @param recorder     the training curves
     * @param length       L of the probe sequence (its steps: L inputs, the delimiter, L outputs)
     * @param slots        S
     * @param writeWeights first write head's {@code w_t} on sequence 0 of each run, {@code (R, 2L + 1, S)} row-major
     * @param readWeights  first read head's, same shape
     */
    public record Result(RunRecorder recorder, int length, int slots, float[] writeWeights, float[] readWeights) {
        /** Run {@code r}'s write ({@code write}) or read weighting as {@code [slot][step]} (slots down, time across). */
        public float[][] weights(int r, boolean write) {
            float[] w = write ? writeWeights : readWeights;
            int steps = 2 * length + 1;
            float[][] out = new float[slots][steps];
            for (int t = 0; t < steps; t++)
                for (int s = 0; s < slots; s++) out[s][t] = w[(r * steps + t) * slots + s];
            return out;
        }
    }

    /**
     * Trains {@code runs} and probes each on an unseen sequence of {@code probeLength} vectors (drawn at a step
     * beyond training) after the last update.
     */
    public static Result train(NtmCopyTraining.Setup setup, List<NtmCopyTraining.Run> runs, int probeLength, Trainer.Listener listener) {
        Check.positive("probeLength", probeLength);
        long[] seeds = runs.stream().mapToLong(NtmCopyTraining.Run::seed).toArray();
        float[][] kept = new float[2][];
        NtmCopyTraining.Result r = NtmCopyTraining.train(setup, runs, listener, ntm -> new MemoryModel() {
            final NtmProbe probe = new NtmProbe(ntm, setup.task(), seeds, probeLength, setup.steps());

            public ParamSet params() { return probe.params(); }

            public List<ParamGroup> parameterGroups() { return probe.parameterGroups(); }

            public Probe probe(NDManager m, boolean readsZeroed) {
                Probe p = probe.probe(m, readsZeroed);
                if (!readsZeroed) {          // the intact pass; measured after step 0 and the last update, the last one stays
                    kept[0] = firstHead(p.attention().get("write"));
                    kept[1] = firstHead(p.attention().get("read"));
                }
                return p;
            }
        }, setup.steps());
        return new Result(r.recorder(), probeLength, setup.model().slots(), kept[0], kept[1]);
    }

    /** {@code (R, B, T, H, S)} → sequence 0, head 0: {@code (R, T, S)} on the host. */
    private static float[] firstHead(NDArray w) {
        return w.get(new NDIndex(":, 0, :, 0, :")).toType(DataType.FLOAT32, false).toFloatArray();
    }
}
