package memlab.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DeviceCheck's command line: defaults, each option, and bad values refused with the option's name. */
class DeviceCheckOptionsTest {

    @Test
    void defaultsCompareWithGpuAndTime() {
        DeviceCheck.Options o = DeviceCheck.Options.parse();
        assertFalse(o.cpuOnly());
        assertTrue(o.timing());
        assertEquals(10, o.steps());
        assertEquals(3, o.repeats());
        assertEquals(1e-3, o.tolerance());
    }

    @Test
    void optionsAndToleranceInAnyOrder() {
        DeviceCheck.Options o = DeviceCheck.Options.parse("--cpu-only", "2e-4", "--steps", "4", "--repeats", "1", "--no-timing");
        assertTrue(o.cpuOnly());
        assertFalse(o.timing());
        assertEquals(4, o.steps());
        assertEquals(1, o.repeats());
        assertEquals(2e-4, o.tolerance());
    }

    @Test
    void badArgumentsNameWhatIsWrong() {
        assertMessage("--steps", "--steps", "0");
        assertMessage("--steps needs", "--steps");
        assertMessage("--repeats", "--repeats", "x");
        assertMessage("tolerance", "-1e-3");
        assertMessage("tolerance", "abc");
        assertMessage("tolerance", "NaN");
        assertMessage("unknown option '--gpu'", "--gpu");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceCheck.Options.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
