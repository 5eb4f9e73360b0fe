package memlab.bench;

import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmarks' warm-up on a simulated clock: each step takes a fixed time, and the JIT's total
 * compilation time is a given function of the time elapsed. The warm-up must wait for a quiet
 * {@link SideBySide#QUIET_S} window, and give up at {@link SideBySide#MAX_WARM_UP_S}.
 */
class SideBySideWarmUpTest {

    /** A side whose steps advance a simulated clock by {@code stepS} seconds each. */
    private static final class Simulated implements SideBySide.Side {
        final double stepS;
        double now;
        int steps;

        Simulated(double stepS) { this.stepS = stepS; }

        @Override
        public void steps(int n) {
            steps += n;
            now += n * stepS;
        }

        SideBySide.WarmUp warmUp(DoubleUnaryOperator compiledMsAt) {
            return SideBySide.warmUp(this, () -> Math.round(now * 1e9), () -> Math.round(compiledMsAt.applyAsDouble(now)));
        }
    }

    @Test
    void aJitThatIsQuietFromTheStartStopsAfterOneWindow() {
        Simulated side = new Simulated(0.02);
        SideBySide.WarmUp w = side.warmUp(t -> 0);
        assertTrue(w.settled());
        assertEquals(SideBySide.QUIET_S, w.seconds(), 0.05);
        assertEquals(side.steps, w.steps());
    }

    @Test
    void compilationPastTheMinimumIsWaitedFor() {
        // the JIT busy a tenth of the time (100 ms/s) until t = 12 s, quiet after: the warm-up ends once the
        // last window holds less than its allowance of compilation, a window after the busy time less that allowance
        Simulated side = new Simulated(0.02);
        SideBySide.WarmUp w = side.warmUp(t -> 100 * Math.min(t, 12));
        assertTrue(w.settled());
        double allowanceMs = SideBySide.QUIET_SHARE * SideBySide.QUIET_S * 1e3;
        assertEquals(12 + SideBySide.QUIET_S - allowanceMs / 100, w.seconds(), 0.05);
        assertEquals(side.steps, w.steps());
    }

    @Test
    void aSteadyTrickleBelowTheShareCountsAsQuietAndOneAboveDoesNot() {
        double share = SideBySide.QUIET_SHARE * 1e3;                  // ms of compilation per second allowed
        SideBySide.WarmUp below = new Simulated(0.02).warmUp(t -> 0.5 * share * t);
        assertTrue(below.settled());
        assertEquals(SideBySide.QUIET_S, below.seconds(), 0.05);
        SideBySide.WarmUp above = new Simulated(0.02).warmUp(t -> 2 * share * t);
        assertFalse(above.settled());
        assertEquals(SideBySide.MAX_WARM_UP_S, above.seconds(), 0.05);
        assertTrue(above.describe().contains("still compiling"), above.describe());
    }

    @Test
    void stepsLongerThanTheWindowStillEndTheWarmUp() {
        // one step of 7 s: each window spans one step, and a quiet one ends the warm-up
        SideBySide.WarmUp w = new Simulated(7).warmUp(t -> t < 10 ? 100 * t : 1000);
        assertTrue(w.settled());
        assertEquals(21, w.seconds(), 1e-9);                         // marks at 14 (burst ends by 10), 21: quiet from 14 to 21
        assertEquals(3, w.steps());
    }
}
