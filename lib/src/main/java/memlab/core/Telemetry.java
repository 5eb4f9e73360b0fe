package memlab.core;

/**
 * Keeps DJL's usage telemetry off.
 *
 * <p>DJL ({@code ai.djl.util.Ec2Utils.callHome}) probes the cloud instance-metadata address when an engine starts
 * and, on a cloud machine, reports the instance to DJL's servers, unless {@code OPT_OUT_TRACKING} is true as an
 * environment variable or a system property. memlab sets the system property before the engine is first used
 * (from the classes that choose the device and seed the engine), unless the environment or a property already
 * says something, so an explicit {@code OPT_OUT_TRACKING=false} is respected.
 */
public final class Telemetry {
    /** The name DJL reads, as environment variable or system property. */
    public static final String OPT_OUT = "OPT_OUT_TRACKING";

    private Telemetry() {}

    /** Sets {@code OPT_OUT_TRACKING=true} unless the environment or a system property sets it. */
    public static void optOut() {
        if (System.getenv(OPT_OUT) == null && System.getProperty(OPT_OUT) == null) System.setProperty(OPT_OUT, "true");
    }
}
