package memlab.tasks.chars;

import java.util.SplittableRandom;

/**
 * A generator of character sequences for next-character prediction.
 *
 * <p>Draws come from a {@link SplittableRandom} the caller derives from the run's seed (see
 * {@link CharBatch}), so a run sees the same sequences alone or inside a batched sweep.
 */
public interface CharTask {
    /** A short file-name-safe name, e.g. {@code key-recall}. */
    String name();

    /** The characters the task uses. */
    Alphabet alphabet();

    /** The longest sequence {@link #sample} can return. */
    int maxLength();

    /** Draws one sequence. */
    Sample sample(SplittableRandom rng);

    /** A uniformly drawn character of {@code symbols}. */
    static char pick(SplittableRandom rng, String symbols) {
        return symbols.charAt(rng.nextInt(symbols.length()));
    }
}
