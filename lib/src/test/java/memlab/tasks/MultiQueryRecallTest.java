package memlab.tasks;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class MultiQueryRecallTest {
    @Test
    void everyAnswerIsTheValueBoundToItsKeyEarlierInTheSequence() {
        MultiQueryRecall task = new MultiQueryRecall(64, 8, 48);
        MultiQueryRecall.Batch b = task.batch(50, 3, 0);
        int n = task.pairs(), half = task.vocab() / 2;
        for (int s = 0; s < b.batch(); s++) {
            int o = s * b.length(), answers = 0;
            Set<Integer> keys = new HashSet<>(), values = new HashSet<>();
            for (int i = 0; i < n; i++) {
                int k = b.inputs()[o + 2 * i], v = b.inputs()[o + 2 * i + 1];
                assertTrue(k >= 1 && k < half, "key " + k + " in 1..V/2-1");
                assertTrue(v >= half && v < task.vocab(), "value " + v + " in V/2..V-1");
                assertTrue(keys.add(k), "keys distinct");
                assertTrue(values.add(v), "values distinct");
                assertFalse(b.isAnswer(s, 2 * i) || b.isAnswer(s, 2 * i + 1), "no answer inside the pairs");
            }
            for (int t = 0; t < b.length(); t++) {
                if (!b.isAnswer(s, t)) continue;
                answers++;
                assertTrue(t >= 2 * n && (t - 2 * n) % 2 == 0, "query at 2n + 2g, got " + t);
                int query = b.inputs()[o + t], found = -1;
                for (int i = 0; i < n; i++) if (b.inputs()[o + 2 * i] == query) found = b.inputs()[o + 2 * i + 1];
                assertEquals(found, b.targets()[o + t], "the answer is the value stored next to the queried key");
            }
            assertEquals(n, answers, "every key is asked exactly once");
        }
    }

    @Test
    void seededAndPowerLawGaps() {
        MultiQueryRecall task = new MultiQueryRecall(64, 4, 200);
        assertArrayEquals(task.batch(4, 9, 2).inputs(), task.batch(4, 9, 2).inputs());
        assertFalse(java.util.Arrays.equals(task.batch(4, 9, 2).inputs(), task.batch(4, 9, 3).inputs()));
        // gaps g ∝ (g+1)^(a−1): with a = 0.01, P(g = 0) among 96 slots is ≈ 1/H_96 ≈ 0.19 for the first draw
        MultiQueryRecall.Batch b = task.batch(2000, 1, 0);
        int early = 0, late = 0;
        for (int s = 0; s < b.batch(); s++)
            for (int t = 8; t < 200; t++)
                if (b.isAnswer(s, t)) {
                    if (t < 8 + 2 * 10) early++;
                    else if (t >= 200 - 2 * 10) late++;
                }
        assertTrue(early > 10 * late, "queries cluster right after the pairs: " + early + " in the first 10 slots vs " + late + " in the last 10");
    }

    @Test
    void badSizesNameTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MultiQueryRecall(16, 8, 64));
        assertTrue(e.getMessage().startsWith("vocab must be >= 2·pairs + 2 = 18"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiQueryRecall(64, 8, 31));
        assertTrue(e.getMessage().startsWith("length must be >= 4·pairs = 32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiQueryRecall(64, 0, 64));
        assertTrue(e.getMessage().startsWith("pairs must be"), e.getMessage());
        new MultiQueryRecall(18, 8, 32).batch(3, 0, 0);   // the smallest allowed sizes work
    }
}
