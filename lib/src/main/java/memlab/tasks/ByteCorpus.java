package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;
import memlab.core.Seeds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A byte-level text corpus for a small language model: the fortune cookies of Debian's
 * {@code fortunes-min} package (the files {@code fortunes}, {@code literature}, {@code riddles} in
 * {@code /usr/share/games/fortunes}, about 98 KB of English), installed by the setup script and never
 * committed. The {@code %} lines that separate the fortunes are dropped. The last tenth of the bytes is
 * held out for evaluation; training windows never reach into it.
 *
 * <p>A batch is {@code B} windows of {@code T + 1} consecutive bytes at uniform offsets: inputs are
 * bytes {@code 0..T−1} of each window, targets bytes {@code 1..T} (next-byte prediction, every
 * position an answer). The batch of index {@code i} for seed {@code s} depends only on {@code (s, i)}.
 */
public final class ByteCorpus {
    /** The Debian package the corpus comes from. */
    public static final String PACKAGE = "fortunes-min";
    /** Where the package puts its files. */
    public static final Path DIRECTORY = Path.of("/usr/share/games/fortunes");
    /** The package's text files. */
    public static final List<String> FILES = List.of("fortunes", "literature", "riddles");

    private final byte[] train, heldOut;

    private ByteCorpus(byte[] all) {
        int cut = all.length - all.length / 10;
        train = java.util.Arrays.copyOfRange(all, 0, cut);
        heldOut = java.util.Arrays.copyOfRange(all, cut, all.length);
    }

    /** The {@code fortunes-min} corpus; a clear error naming the package if it is not installed. */
    public static ByteCorpus fortunes() {
        return load(DIRECTORY, PACKAGE, FILES);
    }

    /**
     * The corpus of {@code files} in {@code directory}, which the Debian package {@code pkg} installs.
     *
     * @throws IllegalStateException naming the package and the install command if a file is missing
     */
    public static ByteCorpus load(Path directory, String pkg, List<String> files) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String f : files) {
            Path p = directory.resolve(f);
            if (!Files.isReadable(p))
                throw new IllegalStateException("text corpus missing: " + p + " not found; it comes from the Debian package '" + pkg
                        + "' (install it with: apt-get install " + pkg + ", or run bin/memlab setup)");
            try {
                for (String line : Files.readAllLines(p, java.nio.charset.StandardCharsets.ISO_8859_1))
                    if (!line.equals("%")) all.writeBytes((line + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
        return new ByteCorpus(all.toByteArray());
    }

    /** A corpus of the given bytes (tests). */
    public static ByteCorpus of(byte[] bytes) {
        if (bytes.length < 20) throw new IllegalArgumentException("corpus must have at least 20 bytes, got " + bytes.length);
        return new ByteCorpus(bytes.clone());
    }

    /** Bytes of the training part. */
    public int trainBytes() { return train.length; }

    /** Bytes of the held-out part. */
    public int heldOutBytes() { return heldOut.length; }

    /**
     * Windows for each run: inputs, targets (int) and the answer mask (all 1, float), each of shape
     * {@code (R, B, T)}.
     *
     * @param heldOut draw from the held-out tenth instead of the training part
     */
    public NDArray[] arrays(NDManager m, int batch, int length, long[] seeds, long index, boolean heldOut) {
        Check.positive("batch", batch);
        Check.positive("length", length);
        byte[] text = heldOut ? this.heldOut : this.train;
        if (length + 1 > text.length)
            throw new IllegalArgumentException("length must be < " + text.length + " (the " + (heldOut ? "held-out" : "training") + " part has "
                    + text.length + " bytes), got " + length);
        int n = batch * length;
        int[] in = new int[n * seeds.length], tg = new int[n * seeds.length];
        float[] mask = new float[n * seeds.length];
        java.util.Arrays.fill(mask, 1f);
        for (int r = 0; r < seeds.length; r++) {
            SplittableRandom rng = Seeds.stream(seeds[r], heldOut ? "corpus-heldout" : "corpus", index);
            for (int b = 0; b < batch; b++) {
                int start = rng.nextInt(text.length - length);
                for (int t = 0; t < length; t++) {
                    in[r * n + b * length + t] = text[start + t] & 0xff;
                    tg[r * n + b * length + t] = text[start + t + 1] & 0xff;
                }
            }
        }
        Shape s = new Shape(seeds.length, batch, length);
        return new NDArray[]{m.create(in, s), m.create(tg, s), m.create(mask, s)};
    }
}
