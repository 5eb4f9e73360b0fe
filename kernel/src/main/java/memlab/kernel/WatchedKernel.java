package memlab.kernel;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;

/**
 * Runs the rapaio Java kernel ({@link MainApp}) in this JVM under a watchdog thread.
 *
 * <p>Why: rapaio-jupyter-kernel 3.0.1 hangs at start-up about one start in six on a loaded machine. Its message
 * loop threads can end at once (the {@code running} flag is set after the thread starts) or die of a {@code
 * NullPointerException} (a request arrives before the handler map exists). The process stays alive and never
 * answers, and Jupyter only restarts a kernel whose process has ended. The watchdog turns the hang into a crash:
 * every {@value #POLL_MILLIS} ms ({@value #STARTUP_POLL_MILLIS} ms during the first seconds, so that a broken
 * kernel dies before it runs a cell) it finds the shell, control and heartbeat loop threads by reading (never
 * changing) the kernel's fields, and when one has ended without a shutdown request it prints one line to the
 * process's stderr and halts the JVM with status {@value #EXIT_DEAD_LOOP}, so Jupyter's auto-restart starts a
 * fresh kernel. The kernel's code is neither copied nor patched.
 *
 * <p>Usage: {@code java -jar memlab-kernel.jar CONNECTION_FILE}; any other arguments (such as rapaio's own
 * installer, {@code -i}) go to {@link MainApp} unwatched.
 */
public final class WatchedKernel {

    static final long POLL_MILLIS = 200;
    static final long STARTUP_POLL_MILLIS = 20;
    static final long STARTUP_MILLIS = 30_000;
    static final long STARTUP_LIMIT_MILLIS = 120_000;
    static final int EXIT_DEAD_LOOP = 3;
    static final int EXIT_KERNEL_FAILED = 2;

    /** The process's stderr; rapaio points System.err at the notebook while a cell runs. */
    private static final PrintStream STDERR = System.err;

    private WatchedKernel() {
    }

    public static void main(String[] args) {
        boolean watch = args.length == 1 && !args[0].startsWith("-");
        if (watch) {
            log("starting rapaio-jupyter-kernel " + rapaioVersion() + " on Java " + Runtime.version()
                    + " (pid " + ProcessHandle.current().pid() + ") with a watchdog on its message loops");
            startWatchdog();
        }
        try {
            MainApp.main(args);
        } catch (Throwable e) {
            log("the kernel failed: " + e);
            e.printStackTrace(STDERR);
            STDERR.flush();
            Runtime.getRuntime().halt(EXIT_KERNEL_FAILED);
        }
        if (watch) {
            // MainApp.main returns once every loop has ended: after a shutdown request, or when they all died.
            if (!RapaioProbe.INSTANCE.shutdownRequested()) {
                die("the kernel's message loops all ended without a shutdown request");
            }
            System.exit(0);
        }
    }

    private static void startWatchdog() {
        try {
            RapaioProbe.checkFields();
        } catch (ReflectiveOperationException e) {
            log("watchdog disabled, this rapaio version does not have the expected fields: " + e);
            return;
        }
        LoopWatchdog dog = new LoopWatchdog(RapaioProbe.INSTANCE, STARTUP_LIMIT_MILLIS);
        long start = System.nanoTime();
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    long elapsed = (System.nanoTime() - start) / 1_000_000;
                    Thread.sleep(elapsed < STARTUP_MILLIS ? STARTUP_POLL_MILLIS : POLL_MILLIS);
                    String reason = dog.check((System.nanoTime() - start) / 1_000_000);
                    if (reason != null) {
                        die(reason);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    log("watchdog disabled, cannot inspect the kernel: " + e);
                    return;
                }
            }
        }, "memlab-kernel-watchdog");
        t.setDaemon(true);
        t.start();
    }

    private static void die(String reason) {
        log(reason + "; exiting with status " + EXIT_DEAD_LOOP + " so that Jupyter restarts the kernel");
        STDERR.flush();
        Runtime.getRuntime().halt(EXIT_DEAD_LOOP);
    }

    static void log(String line) {
        STDERR.println("[memlab-kernel] " + line);
    }

    private static String rapaioVersion() {
        String res = "META-INF/maven/io.github.padreati/rapaio-jupyter-kernel/pom.properties";
        try (InputStream in = MainApp.class.getClassLoader().getResourceAsStream(res)) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "(unknown version)");
        } catch (Exception e) {
            return "(unknown version)";
        }
    }

    /** Reads the kernel's channels and their loop threads by reflection, read-only. */
    static final class RapaioProbe implements LoopWatchdog.Kernel {

        static final RapaioProbe INSTANCE = new RapaioProbe();
        /** Fields of {@link Channels} that hold a channel with a {@code loopThread} field. */
        static final String[] LOOP_CHANNELS = {"shell", "control", "heartbeat"};

        /** Fails when the rapaio classes do not have the fields this probe reads. */
        static void checkFields() throws ReflectiveOperationException {
            for (String name : LOOP_CHANNELS) {
                Class<?> type = Channels.class.getDeclaredField(name).getType();
                if (!Thread.class.isAssignableFrom(type.getDeclaredField("loopThread").getType())) {
                    throw new NoSuchFieldException(type.getName() + ".loopThread is not a Thread");
                }
            }
        }

        @Override
        public Map<String, Thread> loopThreads() throws ReflectiveOperationException {
            Channels channels = MainApp.kernel.channels();
            if (channels == null) {
                return null;
            }
            Map<String, Thread> loops = new LinkedHashMap<>();
            for (String name : LOOP_CHANNELS) {
                Object channel = read(channels, Channels.class, name);
                loops.put(name, channel == null ? null : (Thread) read(channel, channel.getClass(), "loopThread"));
            }
            return loops;
        }

        @Override
        public boolean shutdownRequested() {
            Channels channels = MainApp.kernel.channels();
            return channels != null && channels.isMarkedForShutdown();
        }

        private static Object read(Object target, Class<?> type, String name) throws ReflectiveOperationException {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        }
    }
}
