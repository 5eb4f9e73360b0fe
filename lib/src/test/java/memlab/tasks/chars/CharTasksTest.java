package memlab.tasks.chars;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class CharTasksTest {
    @Test
    void keyRecallHasTheShapeAndMarksTheRecall() {
        KeyRecall task = KeyRecall.paper();
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            Sample s = task.sample(rng);
            assertTrue(s.text().matches("0{1,5}\\?[1-5]0{1,2}![1-5]"), s.text());
            String t = s.text();
            assertEquals(t.charAt(t.indexOf('?') + 1), t.charAt(t.length() - 1));
            assertEquals(1, s.memoryPositions());
            assertTrue(s.memory()[s.predictions() - 1]);
        }
    }

    @Test
    void repeatedSequenceRepeatsItsUnit() {
        RepeatedSequence task = RepeatedSequence.paper();
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 200; i++) {
            Sample s = task.sample(rng);
            assertEquals(12, s.text().length());
            int k = 0;
            while (!s.memory()[k]) k++;
            int period = k + 1;
            assertTrue(period >= 1 && period <= 4);
            for (int j = period; j < 12; j++) assertEquals(s.text().charAt(j - period), s.text().charAt(j), s.text());
        }
    }

    @Test
    void reversedSequenceIsAPalindromeAndMarksTheMirroredHalf() {
        ReversedSequence task = ReversedSequence.threeChar();
        SplittableRandom rng = new SplittableRandom(3);
        boolean odd = false, even = false;
        for (int i = 0; i < 200; i++) {
            Sample s = task.sample(rng);
            String t = s.text();
            assertEquals(new StringBuilder(t).reverse().toString(), t);
            assertTrue(t.length() == 5 || t.length() == 6, t);
            odd |= t.length() == 5;
            even |= t.length() == 6;
            for (int p = 0; p < s.predictions(); p++) assertEquals(p + 1 >= 3, s.memory()[p], t);
        }
        assertTrue(odd && even, "both abcba and abccba forms");
    }

    @Test
    void batchesDependOnlyOnSeedAndStepAndArePadded() {
        KeyRecall task = KeyRecall.paper();
        CharBatch both = CharBatch.draw(task, new long[]{4, 5}, 3, "train", 7);
        CharBatch alone = CharBatch.draw(task, new long[]{5}, 3, "train", 7);
        for (int b = 0; b < 3; b++) assertEquals(alone.samples().get(b), both.samples().get(3 + b));
        for (int n = 0; n < 6; n++) {
            Sample s = both.samples().get(n);
            for (int t = 0; t < both.length(); t++) {
                int k = n * both.length() + t;
                assertEquals(t < s.predictions(), both.valid()[k]);
                if (t < s.predictions()) assertEquals(task.alphabet().indexOf(s.text().charAt(t + 1)), both.target()[k]);
            }
        }
        assertNotEquals(CharBatch.draw(task, new long[]{5}, 3, "train", 8).samples(), alone.samples());
    }

    @Test
    void alphabetEncodesAndChecks() {
        Alphabet a = new Alphabet("0?!12");
        assertEquals("?21", a.decode(a.encode("?21")));
        assertArrayEquals(new float[]{0, 0, 1, 0, 0}, a.oneHot('!'));
        var ex = assertThrows(IllegalArgumentException.class, () -> a.indexOf('x'));
        assertTrue(ex.getMessage().contains("'x'"));
        assertThrows(IllegalArgumentException.class, () -> new Alphabet("aa"));
        assertThrows(IllegalArgumentException.class, () -> new KeyRecall("1?", 5, 2));
    }
}
