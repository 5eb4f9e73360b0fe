package memlab.core;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/**
 * Chooses the device the models run on.
 *
 * <p>Default: CPU, or the first GPU when the engine sees one. Override with the system property
 * {@code memlab.device} or the environment variable {@code MEMLAB_DEVICE} (property wins), or pass
 * the name to {@link #choose(String)}. Allowed names: {@code auto}, {@code cpu}, {@code gpu},
 * {@code gpu:N}. Asking for a GPU that the engine does not see fails at once instead of silently
 * running on the CPU.
 */
public final class Devices {
    /** The system property that overrides the device. */
    public static final String PROPERTY = "memlab.device";
    /** The environment variable that overrides the device. */
    public static final String ENV = "MEMLAB_DEVICE";

    static { Telemetry.optOut(); }  // before the engine starts: DJL reads it then

    private Devices() {}

    /** The device named by {@code memlab.device} / {@code MEMLAB_DEVICE}, else {@code auto}. */
    public static Device choose() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) name = System.getenv(ENV);
        return choose(name == null || name.isBlank() ? "auto" : name);
    }

    /**
     * Resolves a device name.
     *
     * @param name {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
     * @throws IllegalArgumentException for an unknown name or a GPU the engine does not see
     */
    public static Device choose(String name) {
        if (name == null) throw new IllegalArgumentException("device must be one of auto, cpu, gpu, gpu:N; got null");
        String n = name.trim().toLowerCase(Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        if (n.equals("auto")) return gpus > 0 ? Device.gpu(0) : Device.cpu();
        if (n.equals("cpu")) return Device.cpu();
        if (n.equals("gpu") || n.startsWith("gpu:")) {
            int id;
            try {
                id = n.equals("gpu") ? 0 : Integer.parseInt(n.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device must be one of auto, cpu, gpu, gpu:N; got '" + name + "'");
            }
            if (id < 0 || id >= gpus)
                throw new IllegalArgumentException("device '" + name + "' is not available: the engine ("
                        + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion()
                        + ") sees " + gpus + " GPU(s); use cpu or auto"
                        + (gpus == 0 ? " (for a GPU build see the README, section 'GPU')" : ", gpu:0..gpu:" + (gpus - 1)));
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device must be one of auto, cpu, gpu, gpu:N; got '" + name + "'");
    }
}
