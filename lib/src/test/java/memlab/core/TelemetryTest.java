package memlab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TelemetryTest {
    @Test
    void djlSeesTheOptOutOnceTheLibraryChoosesADevice() {
        Devices.choose("cpu");
        String expected = System.getenv(Telemetry.OPT_OUT) != null ? System.getenv(Telemetry.OPT_OUT) : "true";
        assertEquals(expected, ai.djl.util.Utils.getEnvOrSystemProperty(Telemetry.OPT_OUT));
    }
}
