package memlab.ephemeral;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The index tables of the compact recurrent ephemeral weights list every plastic entry once and pad only onto non-plastic ones. */
class RecurrentEntriesTest {
    @Test
    void everyPlasticEntryOnceAndPaddingOnZeros() {
        int R = 3, H = 12;
        float[] mask = new float[R * H * H];
        Random rnd = new Random(7);
        for (int k = 0; k < mask.length; k++) mask[k] = rnd.nextDouble() < (k < H * H ? 0.0 : 0.3) ? 1 : 0;   // run 0: nothing plastic
        for (int i = 0; i < H; i++) mask[(2 * H + i) * H + 5] = 1;   // run 2, column 5: full
        RecurrentEntries e = new RecurrentEntries(mask, R, H);
        assertEquals(H, e.perColumn, "the full column sets P");
        for (int r = 0; r < R; r++) {
            Set<Long> seen = new HashSet<>();
            for (int j = 0; j < H; j++)
                for (int p = 0; p < e.perColumn; p++) {
                    int slot = (r * H + j) * e.perColumn + p;
                    long i = e.rows[slot];
                    assertEquals(i * H + j, e.flat[slot], "flat position of row i, column j");
                    boolean plastic = mask[(int) ((r * H + i) * H + j)] != 0;
                    assertEquals(plastic ? 1f : 0f, e.plastic[slot], "run " + r + " column " + j + " slot " + p);
                    if (plastic) assertTrue(seen.add(e.flat[slot]), "listed once");
                }
            int count = 0;
            for (int k = 0; k < H * H; k++) if (mask[r * H * H + k] != 0) count++;
            assertEquals(count, seen.size(), "every plastic entry of run " + r + " is listed");
        }
    }
}
