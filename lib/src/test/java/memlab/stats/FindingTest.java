package memlab.stats;

import memlab.notebook.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FindingTest {
    private static final Finding YES = Finding.of(true, "a"), NO = Finding.of(false, "b"), CANNOT = Finding.untestable("c");

    @Test
    void combinedOutcome() {
        assertEquals(Outcome.REPRODUCED, Finding.combine(YES, YES).outcome());
        assertEquals(Outcome.NOT_REPRODUCED, Finding.combine(NO, NO).outcome());
        assertEquals(Outcome.PARTLY, Finding.combine(YES, NO).outcome());
        assertEquals(Outcome.UNTESTABLE, Finding.combine(CANNOT, CANNOT).outcome());
        // an untestable part keeps a reproduced rest from counting as a full reproduction...
        assertEquals(Outcome.PARTLY, Finding.combine(YES, CANNOT).outcome());
        // ...and does not rescue a rest that failed
        assertEquals(Outcome.NOT_REPRODUCED, Finding.combine(NO, CANNOT).outcome());
        assertEquals(Outcome.PARTLY, Finding.combine(new Finding(Outcome.PARTLY, "p"), YES).outcome());
        assertEquals(Outcome.PARTLY, Finding.combine(new Finding(Outcome.PARTLY, "p"), NO).outcome());
    }

    @Test
    void textNamesEveryPartsOutcome() {
        assertEquals("a (reproduced); c (untestable)", Finding.combine(YES, CANNOT).text());
        assertSame(YES, Finding.combine(YES));
        assertThrows(IllegalArgumentException.class, () -> Finding.combine(List.of()));
        assertThrows(NullPointerException.class, () -> new Finding(null, "x"));
    }
}
