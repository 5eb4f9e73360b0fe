package memlab.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CopyPasteTest {
    /** Every sequence: one COPY, the span, G fillers, one PASTE, the span again, answers on the L positions from PASTE on. */
    @Test
    void layoutIsMarkerSpanGapMarkerSpan() {
        int span = 5, gap = 7, length = 30;
        CopyPaste task = new CopyPaste(span, gap, length, 16);
        CopyPaste.Batch b = task.batch(40, 3, 0);
        boolean[] startSeen = new boolean[length];
        for (int s = 0; s < b.batch(); s++) {
            int o = s * length, copy = -1, paste = -1, answers = 0;
            for (int t = 0; t < length; t++) {
                int x = b.inputs()[o + t];
                if (x == CopyPaste.COPY) { assertEquals(-1, copy, "one copy marker"); copy = t; }
                else if (x == CopyPaste.PASTE) { assertEquals(-1, paste, "one paste marker"); paste = t; }
                else assertTrue(x >= 0 && x < 16, "bytes from the alphabet, got " + x);
                if (b.targets()[o + t] >= 0) answers++;
            }
            assertEquals(copy + span + gap + 1, paste, "the gap between the span's end and the paste marker is G");
            assertEquals(paste, b.paste()[s]);
            assertEquals(span, answers);
            for (int i = 0; i < span; i++) {
                int x = b.inputs()[o + copy + 1 + i];
                assertEquals(x, b.targets()[o + paste + i], "target at paste + " + i + " is span byte " + i);
                assertEquals(x, b.inputs()[o + paste + 1 + i], "the span is fed back after the paste marker");
            }
            startSeen[copy] = true;
        }
        int starts = 0;
        for (boolean v : startSeen) if (v) starts++;
        assertTrue(starts > 3, "the block starts at varied offsets");
    }

    @Test
    void seededAndRepeatable() {
        CopyPaste task = new CopyPaste(4, 10, 24);
        assertArrayEquals(task.batch(3, 7, 5).inputs(), task.batch(3, 7, 5).inputs());
        assertFalse(java.util.Arrays.equals(task.batch(3, 7, 5).inputs(), task.batch(3, 7, 6).inputs()), "another index, other data");
        assertFalse(java.util.Arrays.equals(task.batch(3, 7, 5).inputs(), task.batch(3, 8, 5).inputs()), "another seed, other data");
    }

    /** Exact retrieval counts a sequence only when every answer is right. */
    @Test
    void exactRetrievalNeedsTheWholeSpan() {
        try (NDManager m = NDManager.newBaseManager()) {
            // one run, two sequences of T = 3, V = 2: answers at t = 1, 2
            NDArray targets = m.create(new int[]{0, 1, 0, 0, 1, 1}, new Shape(1, 2, 3));
            NDArray answers = m.create(new float[]{0, 1, 1, 0, 1, 1}, new Shape(1, 2, 3));
            // sequence 0: both answers right (t = 0 is wrong but not an answer); sequence 1: one of two right
            NDArray logits = m.create(new float[]{0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0}, new Shape(1, 2, 3, 2));
            assertArrayEquals(new float[]{0.5f}, CopyPaste.exactRetrieval(logits, targets, answers));
            NDArray[] data = new CopyPaste(2, 3, 12).arrays(m, 4, new long[]{1, 2}, 0);
            assertEquals(new Shape(2, 4, 12), data[0].getShape());
            assertEquals(2 * 4 * 2, (int) data[2].sum().getFloat(), "L answers per sequence");
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        assertMessage(() -> new CopyPaste(0, 3, 20), "span");
        assertMessage(() -> new CopyPaste(3, -1, 20), "gap");
        assertMessage(() -> new CopyPaste(3, 3, 0), "length");
        assertMessage(() -> new CopyPaste(4, 10, 19), "length must be >= 2·span + gap + 2 = 20");
        assertMessage(() -> new CopyPaste(4, 10, 20, 1), "alphabet");
        assertMessage(() -> new CopyPaste(4, 10, 20).batch(0, 1, 0), "batch");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), "message '" + x.getMessage() + "' should contain '" + part + "'");
    }
}
