package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ByteCorpusTest {
    @Test
    void aMissingPackageIsNamed(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ByteCorpus.load(dir, "fortunes-min", List.of("fortunes")));
        assertTrue(e.getMessage().contains("Debian package 'fortunes-min'") && e.getMessage().contains("apt-get install fortunes-min"), e.getMessage());
    }

    /** Targets are the inputs shifted by one byte; separators dropped; the held-out tenth is apart. */
    @Test
    void windowsPredictTheNextByte(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) text.append("fortune number ").append(i).append("\n%\n");
        Files.writeString(dir.resolve("a"), text);
        ByteCorpus c = ByteCorpus.load(dir, "pkg", List.of("a"));
        assertEquals(text.length() - 50 * 2, c.trainBytes() + c.heldOutBytes(), "the % lines are dropped");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] d = c.arrays(m, 3, 16, new long[]{1, 1}, 0, false);
            int[] in = d[0].toIntArray(), tg = d[1].toIntArray();
            for (int i = 0; i + 1 < 16; i++) assertEquals(in[i + 1], tg[i], "target t = input t + 1");
            for (int v : in) assertNotEquals('%', v);
            int[] again = c.arrays(m, 3, 16, new long[]{1, 2}, 0, false)[0].toIntArray();
            assertArrayEquals(java.util.Arrays.copyOf(in, 48), java.util.Arrays.copyOf(again, 48), "the same seed, the same windows");
            assertThrows(IllegalArgumentException.class, () -> c.arrays(m, 1, c.heldOutBytes(), new long[]{1}, 0, true));
        }
    }

    /** The real corpus when its package is installed (bin/memlab setup installs it). */
    @Test
    void fortunesLoadsWhenInstalled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(ByteCorpus.DIRECTORY.resolve("fortunes")), "fortunes-min not installed");
        ByteCorpus c = ByteCorpus.fortunes();
        assertTrue(c.trainBytes() > 50_000, "train bytes " + c.trainBytes());
    }
}
