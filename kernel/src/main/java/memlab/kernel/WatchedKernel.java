package memlab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;

/**
 * Runs the rapaio Java kernel ({@link MainApp}) in this JVM under a watchdog thread.
 *
 * <p>Why: rapaio-jupyter-kernel 3.0.1 hangs at start-up about one start in six on a loaded machine. Its message
 * loop threads can end at once (the {@code running} flag is set after the thread starts) or die of a {@code
 * NullPointerException} (a request arrives before the handler map exists). The process stays alive and never
 * answers, and Jupyter only restarts a kernel whose process has ended. The watchdog repairs the hang: every
 * {@value #POLL_MILLIS} ms ({@value #STARTUP_POLL_MILLIS} ms during the first seconds, so that a broken kernel is
 * repaired before it runs a cell) it finds the shell, control and heartbeat loop threads by reflection, and when
 * one has ended without a shutdown request it starts a fresh loop thread on the same socket ({@link
 * LoopWatchdog}); a loop that keeps dying, or a kernel that never starts its loops, makes it print one line to
 * the process's stderr and halt the JVM with status {@value #EXIT_DEAD_LOOP}, so Jupyter's auto-restart starts a
 * fresh kernel. The kernel's code is neither copied nor patched.
 *
 * <p>The launcher also: ends the kernel (status {@value #EXIT_PARENT_GONE}) and deletes its connection file,
 * which holds the session's HMAC key, when the process that started it has gone (a runner killed with SIGKILL
 * would otherwise leave a kernel training on its own); makes Jupyter's interrupt work ({@link Interrupts}); and
 * opts out of DJL's usage telemetry (system property {@code OPT_OUT_TRACKING=true}, unless the environment or a
 * property says otherwise).
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
    static final int EXIT_PARENT_GONE = 4;
    static final long PARENT_POLL_MILLIS = 1_000;
    static final long RESTART_WAIT_MILLIS = 10_000;
    /** How long a cell may run on after an interrupt before it is cancelled the kernel's way. */
    static final long INTERRUPT_GRACE_MILLIS = 10_000;
    /** DJL reads this as an environment variable or a system property before it calls home. */
    static final String TELEMETRY_OPT_OUT = "OPT_OUT_TRACKING";

    /** The process's stderr; rapaio points System.err at the notebook while a cell runs. */
    private static final PrintStream STDERR = System.err;

    private WatchedKernel() {
    }

    public static void main(String[] args) {
        boolean watch = args.length == 1 && !args[0].startsWith("-");
        optOutOfTelemetry();
        if (watch) {
            log("starting rapaio-jupyter-kernel " + rapaioVersion() + " on Java " + Runtime.version()
                    + " (pid " + ProcessHandle.current().pid() + ") with a watchdog on its message loops");
            watchParent(Path.of(args[0]));
            startWatchdog(Path.of(args[0]));
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
            // MainApp.main returns once every loop it started has ended: after a shutdown request, when they all
            // died, or while loops the watchdog restarted still serve.
            waitForRestartedLoops();
            if (!RapaioProbe.INSTANCE.shutdownRequested()) {
                die("the kernel's message loops all ended without a shutdown request");
            }
            System.exit(0);
        }
    }

    /** Sets {@value #TELEMETRY_OPT_OUT}=true for DJL unless the environment or a system property sets it. */
    static void optOutOfTelemetry() {
        if (System.getenv(TELEMETRY_OPT_OUT) == null && System.getProperty(TELEMETRY_OPT_OUT) == null) {
            System.setProperty(TELEMETRY_OPT_OUT, "true");
        }
    }

    /**
     * MainApp.main joins the loop threads it started; when they died at start-up it returns at once, before or
     * after the watchdog restarted them. Waits while a loop serves, or for up to {@value #RESTART_WAIT_MILLIS} ms
     * with none alive, the time the watchdog needs to restart one.
     */
    private static void waitForRestartedLoops() {
        try {
            long noneSince = System.nanoTime();
            while (!RapaioProbe.INSTANCE.shutdownRequested()) {
                if (RapaioProbe.INSTANCE.anyLoopAlive()) {
                    noneSince = System.nanoTime();
                } else if ((System.nanoTime() - noneSince) / 1_000_000 > RESTART_WAIT_MILLIS) {
                    break;
                }
                Thread.sleep(STARTUP_POLL_MILLIS);
            }
        } catch (InterruptedException | ReflectiveOperationException | RuntimeException e) {
            log("cannot wait for the restarted loops: " + e);
        }
    }

    /**
     * Ends this kernel when the process that launched it has gone (this process then has another parent: init or
     * a subreaper), and deletes its connection file, which holds the HMAC key of the session.
     */
    static void watchParent(Path connectionFile) {
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        if (parent <= 1) {
            log("not watching the parent process (parent pid " + parent + ")");
            return;
        }
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(PARENT_POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (now != parent) {
                    log("the process that started this kernel (pid " + parent + ") has gone; deleting "
                            + connectionFile + " and exiting with status " + EXIT_PARENT_GONE);
                    try {
                        Files.deleteIfExists(connectionFile);
                        Path dir = connectionFile.toAbsolutePath().getParent();
                        if (dir != null && dir.getFileName().toString().startsWith("memlab-run-")) {
                            Files.deleteIfExists(dir);  // run_notebooks.py's private folder, once empty
                        }
                    } catch (IOException | RuntimeException e) {
                        log("could not delete the connection file: " + e);
                    }
                    STDERR.flush();
                    Runtime.getRuntime().halt(EXIT_PARENT_GONE);
                }
            }
        }, "memlab-kernel-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    private static void startWatchdog(Path connectionFile) {
        try {
            RapaioProbe.checkFields();
        } catch (ReflectiveOperationException e) {
            log("watchdog disabled, this rapaio version does not have the expected fields: " + e);
            return;
        }
        LoopWatchdog dog = new LoopWatchdog(RapaioProbe.INSTANCE, STARTUP_LIMIT_MILLIS);
        long start = System.nanoTime();
        long graceMillis = graceMillis();
        Thread t = new Thread(() -> {
            boolean stackSeparated = false;
            boolean interruptsInstalled = false;
            while (true) {
                try {
                    long elapsed = (System.nanoTime() - start) / 1_000_000;
                    Thread.sleep(elapsed < STARTUP_MILLIS ? STARTUP_POLL_MILLIS : POLL_MILLIS);
                    Channels channels = MainApp.kernel.channels();
                    if (!stackSeparated && channels != null) {
                        Interrupts.separateAfterActions(channels);
                        stackSeparated = true;
                    }
                    if (!interruptsInstalled && RapaioProbe.INSTANCE.handlersReady()) {
                        Interrupts.install(channels, graceMillis, () -> LabOutput.configure(connectionFile));
                        interruptsInstalled = true;
                    }
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

    private static long graceMillis() {
        String s = System.getenv("MEMLAB_INTERRUPT_GRACE_S");
        try {
            return s == null || s.isBlank() ? INTERRUPT_GRACE_MILLIS : Math.max(0, (long) (Double.parseDouble(s) * 1000));
        } catch (NumberFormatException e) {
            log("MEMLAB_INTERRUPT_GRACE_S must be a number of seconds, got '" + s + "'; using "
                    + INTERRUPT_GRACE_MILLIS / 1000);
            return INTERRUPT_GRACE_MILLIS;
        }
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

    /** Reads the kernel's channels and their loop threads by reflection, and restarts a dead loop. */
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
            // the fields the loop restart and the interrupt handling read or set
            for (String f : new String[] {"isConnected", "handlers", "afterActions", "control"}) {
                Channels.class.getDeclaredField(f);
            }
            for (String f : new String[] {"running", "sleep", "loopBody"}) {
                LoopThread.class.getDeclaredField(f);
            }
            for (String f : new String[] {"controlProvider", "executionId"}) {
                org.rapaio.jupyter.kernel.core.java.JavaEngine.class.getDeclaredField(f);
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

        /**
         * {@code Channels.connect} sets {@code isConnected} after it has filled the handler map; the map itself
         * exists (empty, then filling) a little earlier, and a copy taken then would lack handlers.
         */
        @Override
        public boolean handlersReady() throws ReflectiveOperationException {
            Channels channels = MainApp.kernel.channels();
            return channels != null && (boolean) read(channels, Channels.class, "isConnected");
        }

        boolean anyLoopAlive() throws ReflectiveOperationException {
            Map<String, Thread> loops = loopThreads();
            return loops != null && loops.values().stream().anyMatch(t -> t != null && t.isAlive());
        }

        /**
         * A fresh {@link LoopThread} with the dead one's name, pause and body (which holds the channel's poller and
         * socket), its running flag set before it starts (the flag set after start is the defect that ends loops).
         */
        @Override
        public void restartLoop(String channelName) throws ReflectiveOperationException {
            Object channel = read(MainApp.kernel.channels(), Channels.class, channelName);
            LoopThread dead = (LoopThread) read(channel, channel.getClass(), "loopThread");
            LoopThread fresh = new LoopThread(dead.getName(), (long) read(dead, LoopThread.class, "sleep"),
                    (Runnable) read(dead, LoopThread.class, "loopBody"));
            Field running = LoopThread.class.getDeclaredField("running");
            running.setAccessible(true);
            running.setBoolean(fresh, true);
            // The watchdog's thread made this one, so without this it would inherit the watchdog's context class
            // loader instead of the kernel's; cells then run on a loader that cannot see the notebook's %jars, and
            // DJL's ServiceLoader finds no engine ("No deep learning engine found").
            fresh.setContextClassLoader(dead.getContextClassLoader());
            fresh.setDaemon(dead.isDaemon());
            Field loop = channel.getClass().getDeclaredField("loopThread");
            loop.setAccessible(true);
            loop.set(channel, fresh);
            fresh.start();
            log("the " + channelName + " channel's message loop (thread '" + dead.getName()
                    + "') had ended (rapaio 3.0.1 start-up defect); restarted it");
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
