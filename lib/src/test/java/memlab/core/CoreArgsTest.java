package memlab.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CoreArgsTest {
    /** auto is the first GPU when the engine sees one, else the CPU; names are trimmed and case-free; the property overrides. */
    @Test
    void devices() {
        int gpus = ai.djl.engine.Engine.getInstance().getGpuCount();
        assertEquals(ai.djl.Device.cpu(), Devices.choose("cpu"));
        assertEquals(ai.djl.Device.cpu(), Devices.choose(" CPU "));
        assertEquals(gpus > 0 ? ai.djl.Device.gpu(0) : ai.djl.Device.cpu(), Devices.choose("auto"));
        var e = assertThrows(IllegalArgumentException.class, () -> Devices.choose("tpu"));
        assertTrue(e.getMessage().contains("auto, cpu, gpu, gpu:N"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Devices.choose("gpu:x"));
        assertTrue(e.getMessage().contains("gpu:N") && e.getMessage().contains("gpu:x"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Devices.choose("gpu:" + gpus));
        assertTrue(e.getMessage().contains("sees " + gpus + " GPU"), e.getMessage());
        if (gpus == 0) {
            e = assertThrows(IllegalArgumentException.class, () -> Devices.choose("gpu"));
            assertTrue(e.getMessage().contains("sees 0 GPU"), e.getMessage());
        } else {
            assertEquals(ai.djl.Device.gpu(gpus - 1), Devices.choose("gpu:" + (gpus - 1)));
        }
        String saved = System.getProperty(Devices.PROPERTY);
        try {
            System.setProperty(Devices.PROPERTY, "cpu");
            assertEquals(ai.djl.Device.cpu(), Devices.choose());
            System.setProperty(Devices.PROPERTY, "tpu");
            assertThrows(IllegalArgumentException.class, Devices::choose);
        } finally {
            if (saved == null) System.clearProperty(Devices.PROPERTY);
            else System.setProperty(Devices.PROPERTY, saved);
        }
    }

    /** A named switch: found by its label whatever the case and blanks; otherwise the message names the argument, the labels and the input. */
    @Test
    void namedSwitches() {
        String[] kinds = {"soft", "hard"};
        assertEquals("hard", Check.named("attention", " HARD ", kinds, k -> k));
        var e = assertThrows(IllegalArgumentException.class, () -> Check.named("attention", "sharp", kinds, k -> k));
        assertEquals("attention must be one of [soft, hard], got 'sharp'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Check.named("attention", null, kinds, k -> k));
        assertEquals("attention must be one of [soft, hard], got null", e.getMessage());
        assertEquals(memlab.ntm.MemoryInit.LEARNED, memlab.ntm.MemoryInit.parse("Learned"));
    }

    /** Seeds: at least one, copied so that a record's seeds cannot change behind its back. */
    @Test
    void seedsAreCheckedAndCopied() {
        long[] given = {3, 4};
        long[] kept = Check.seeds("seeds", given);
        given[0] = 9;
        assertArrayEquals(new long[]{3, 4}, kept);
        assertEquals("seeds must list at least one seed, got none",
                assertThrows(IllegalArgumentException.class, () -> Check.seeds("seeds", new long[0])).getMessage());
        assertEquals("seeds must list at least one seed, got null",
                assertThrows(IllegalArgumentException.class, () -> Check.seeds("seeds", null)).getMessage());
    }

    @Test
    void checksNameTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> Check.positive("slots", 0));
        assertEquals("slots must be a positive integer (> 0), got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Check.positive("lr", Double.NaN));
    }

    @Test
    void paramsRejectWrongTypes() {
        System.setProperty("memlab.epochs", "many");
        try {
            var e = assertThrows(IllegalArgumentException.class, () -> Params.integer("epochs", 1, 2));
            assertTrue(e.getMessage().contains("'epochs' must be an integer") && e.getMessage().contains("many"), e.getMessage());
        } finally {
            System.clearProperty("memlab.epochs");
        }
        for (String notANumber : new String[]{"NaN", "-nan"}) {
            System.setProperty("memlab.clip", notANumber);
            try {
                var e = assertThrows(IllegalArgumentException.class, () -> Params.real("clip", 1, 1));
                assertTrue(e.getMessage().contains("'clip'") && e.getMessage().contains(notANumber), e.getMessage());
            } finally {
                System.clearProperty("memlab.clip");
            }
        }
        System.setProperty("memlab.clip", "Infinity");
        try {
            assertEquals(Double.POSITIVE_INFINITY, Params.real("clip", 1, 1), "infinity stays a number (e.g. no clipping)");
        } finally {
            System.clearProperty("memlab.clip");
        }
        System.setProperty("memlab.mode", "fast");
        try {
            assertThrows(IllegalArgumentException.class, Params::mode);
        } finally {
            System.clearProperty("memlab.mode");
        }
    }

    /** Long mode: its own value where a setting has one, else the paper value; an override still wins. */
    @Test
    void longModeTakesLongThenPaperValues() {
        System.setProperty("memlab.mode", "long");
        try {
            assertEquals(Params.Mode.LONG, Params.mode());
            assertTrue(Params.longMode());
            assertFalse(Params.quick());
            assertEquals(100_000, Params.integer("eph-long-steps-test", 20, 2000, 100_000));
            assertEquals(2000, Params.integer("eph-steps-test", 20, 2000), "no long value: the paper value");
            System.setProperty("memlab.eph-long-steps-test", "40");
            assertEquals(40, Params.integer("eph-long-steps-test", 20, 2000, 100_000), "an override wins in long mode too");
        } finally {
            System.clearProperty("memlab.mode");
            System.clearProperty("memlab.eph-long-steps-test");
        }
        System.setProperty("memlab.mode", "quick");
        try {
            assertEquals(20, Params.integer("eph-long-steps-test", 20, 2000, 100_000));
        } finally {
            System.clearProperty("memlab.mode");
        }
    }

    @Test
    void streamsAreReproducible() {
        assertEquals(Seeds.stream(3, "data", 7).nextLong(), Seeds.stream(3, "data", 7).nextLong());
        assertNotEquals(Seeds.stream(3, "data", 7).nextLong(), Seeds.stream(3, "data", 8).nextLong());
    }
}
