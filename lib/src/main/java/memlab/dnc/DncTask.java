package memlab.dnc;

import ai.djl.ndarray.NDManager;
import memlab.tasks.BitCopyTask;
import memlab.tasks.RepeatCopyTask;

import java.util.List;

/**
 * The sequence tasks the DNC is trained on, behind one face: a seeded batch per step for R runs, with
 * the copy task's {@link BitCopyTask.Batch} layout and cost.
 */
public interface DncTask {
    /** Task names {@link #named} knows. */
    List<String> NAMES = List.of("copy", "repeat-copy");

    /** The batch of step {@code step} for runs with seeds {@code seeds}; depends only on each run's seed and the step. */
    BitCopyTask.Batch batch(NDManager m, long[] seeds, int step);

    /** Input width the model needs. */
    int input();

    /** Output width the model needs. */
    int output();

    /** The task's name, as {@link #named} parses it. */
    String name();

    /** The copy task without curriculum (lengths uniform in {@code [1, maxLength]} from the start). */
    static DncTask copy(BitCopyTask t) {
        return new DncTask() {
            public BitCopyTask.Batch batch(NDManager m, long[] seeds, int step) { return t.batch(m, seeds, new boolean[seeds.length], step); }
            public int input() { return t.bits() + 1; }
            public int output() { return t.bits(); }
            public String name() { return "copy"; }
            @Override public String toString() { return "copy(batch " + t.batchSize() + ", bits " + t.bits() + ", length 1-" + t.maxLength() + ")"; }
        };
    }

    /** The repeat-copy task. */
    static DncTask repeatCopy(RepeatCopyTask t) {
        return new DncTask() {
            public BitCopyTask.Batch batch(NDManager m, long[] seeds, int step) { return t.batch(m, seeds, step); }
            public int input() { return t.bits() + 2; }
            public int output() { return t.bits() + 1; }
            public String name() { return "repeat-copy"; }
            @Override public String toString() { return "repeat-copy(batch " + t.batchSize() + ", bits " + t.bits() + ", length 1-" + t.maxLength() + ", repeats 1-" + t.maxRepeats() + ")"; }
        };
    }

    /**
     * A task by name: {@code copy} (lengths 1..maxLength) or {@code repeat-copy} (lengths 1..maxLength,
     * 1..maxRepeats copies; {@code maxRepeats} unused by copy).
     */
    static DncTask named(String name, int batch, int bits, int maxLength, int maxRepeats) {
        String n = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        if (!NAMES.contains(n)) throw new IllegalArgumentException("task must be one of " + NAMES + ", got " + (name == null ? "null" : "'" + name + "'"));
        return n.equals("copy") ? copy(new BitCopyTask(batch, bits, maxLength, 1)) : repeatCopy(new RepeatCopyTask(batch, bits, maxLength, maxRepeats));
    }
}
