package memlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The packed order, the active prefix per step, and joining per-step results back, on hand-sized cases. */
class RunPackingTest {

    @Test
    void runsGoLongestFirstAndTheActivePrefixShrinksAsRunsEnd() {
        RunPacking p = new RunPacking(new int[]{2, 4, 1, 4}, 4);
        int[] active = new int[4];
        for (int t = 0; t < 4; t++) active[t] = p.active(t);
        assertArrayEquals(new int[]{4, 3, 2, 2}, active);
        assertFalse(p.shrinksAt(0));
        assertTrue(p.shrinksAt(1));
        assertTrue(p.shrinksAt(2));
        assertFalse(p.shrinksAt(3));
        assertEquals(1, p.segmentEnd(0));           // 4 runs at step 0, 3 at step 1, 2 at steps 2-3
        assertEquals(2, p.segmentEnd(1));
        assertEquals(4, p.segmentEnd(2));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray runs = m.create(new float[]{10, 11, 12, 13});
            assertArrayEquals(new float[]{11, 13, 10, 12}, p.pack(runs).toFloatArray());   // ties keep their order
            assertArrayEquals(runs.toFloatArray(), p.unpack(p.pack(runs)).toFloatArray());
        }
    }

    @Test
    void joinPutsEachRunsStepsBackInItsRowWithZerosAfterItsEnd() {
        int[] own = {2, 3, 1};
        RunPacking p = new RunPacking(own, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            // value of run r at step t is 10 r + t + 1, built in packed order (runs 1, 0, 2)
            int[] order = {1, 0, 2};
            NDArray joined = p.join((from, to) -> {
                int k = p.active(from);
                NDList steps = new NDList();
                for (int t = from; t < to; t++) {
                    float[] v = new float[k];
                    for (int i = 0; i < k; i++) v[i] = 10 * order[i] + t + 1;
                    steps.add(m.create(v, new Shape(k, 1)));
                }
                return NDArrays.concat(steps, 1);
            }, 1);
            assertEquals(new Shape(3, 3), joined.getShape());
            for (int r = 0; r < 3; r++)
                for (int t = 0; t < 3; t++)
                    assertEquals(t < own[r] ? 10 * r + t + 1 : 0, joined.get(new NDIndex("{}, {}", r, t)).getFloat(), "run " + r + " step " + t);
        }
    }

    @Test
    void equalLengthsNeitherReorderNorSlice() {
        RunPacking p = RunPacking.none(3, 5);
        for (int t = 0; t < 5; t++) assertEquals(3, p.active(t));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[]{1, 2, 3});
            assertSame(a, p.pack(a));
            assertSame(a, p.unpack(a));
        }
    }

    @Test
    void lengthsOutsideTheStepsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new RunPacking(new int[]{2, 0}, 3));
        assertTrue(e.getMessage().contains("[1, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RunPacking(new int[]{4}, 3));
        assertThrows(IllegalArgumentException.class, () -> new RunPacking(new int[]{}, 3));
    }
}
