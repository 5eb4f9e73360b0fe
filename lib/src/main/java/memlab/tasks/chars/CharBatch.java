package memlab.tasks.chars;

import memlab.core.Check;
import memlab.core.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One step's sequences for R runs × B sequences, right-padded to a common length T.
 *
 * <p>Run {@code r}'s B sequences of step {@code index} come from the stream
 * {@code Seeds.stream(seed_r, "chars/" + task.name() + "/" + stream, index)}, so they depend only on
 * the run's seed and the step, never on which other runs share the batch. Arrays are flat, indexed
 * {@code (r * B + b) * T + t}; prediction {@code t} has input {@code input[.]} and target
 * {@code target[.]}; {@code valid} is false on padding (which must neither update nor be scored).
 *
 * @param runs    R
 * @param batch   B
 * @param length  T, the longest number of predictions of any sequence in the step
 * @param input   input character indices
 * @param target  target character indices (0 on padding)
 * @param valid   true where a real prediction is
 * @param memory  true where the prediction needs memory (see {@link Sample})
 * @param samples the sequences, {@code samples.get(r * B + b)}
 */
public record CharBatch(int runs, int batch, int length, int[] input, int[] target, boolean[] valid, boolean[] memory,
                        List<Sample> samples) {

    /**
     * Draws step {@code index} for every run.
     *
     * @param seeds  one seed per run
     * @param batch  sequences per run and step, {@code > 0}
     * @param stream {@code "train"} or {@code "eval"}: separate data streams
     */
    public static CharBatch draw(CharTask task, long[] seeds, int batch, String stream, long index) {
        Check.positive("batch", batch);
        if (seeds.length == 0) throw new IllegalArgumentException("seeds must not be empty");
        List<Sample> samples = new ArrayList<>(seeds.length * batch);
        int len = 1;
        for (long seed : seeds) {
            SplittableRandom rng = Seeds.stream(seed, "chars/" + task.name() + "/" + stream, index);
            for (int b = 0; b < batch; b++) {
                Sample s = task.sample(rng);
                samples.add(s);
                len = Math.max(len, s.predictions());
            }
        }
        int n = samples.size();
        int[] input = new int[n * len], target = new int[n * len];
        boolean[] valid = new boolean[n * len], memory = new boolean[n * len];
        Alphabet a = task.alphabet();
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            int[] code = a.encode(s.text());
            for (int t = 0; t < s.predictions(); t++) {
                input[i * len + t] = code[t];
                target[i * len + t] = code[t + 1];
                valid[i * len + t] = true;
                memory[i * len + t] = s.memory()[t];
            }
        }
        return new CharBatch(seeds.length, batch, len, input, target, valid, memory, List.copyOf(samples));
    }

    /** Number of real predictions of run {@code r}. */
    public int validCount(int r) {
        int c = 0;
        for (int i = r * batch * length; i < (r + 1) * batch * length; i++) if (valid[i]) c++;
        return c;
    }
}
