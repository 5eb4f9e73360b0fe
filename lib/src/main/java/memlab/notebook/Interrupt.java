package memlab.notebook;

/**
 * Lets Jupyter's interrupt (the stop button) stop a training loop or a sweep at its next step.
 *
 * <p>The kernel launcher ({@code memlab.kernel.WatchedKernel}) sets the system property {@value #PROPERTY} when an
 * interrupt request arrives during a cell and clears it when the next cell starts. Loops call {@link #check()}
 * once per step (or per sweep run); it throws {@link Stopped}, so a sweep keeps the runs it has saved and the
 * kernel is ready for the next cell. Outside the kernel nothing sets the property and {@code check()} costs one
 * property lookup.
 */
public final class Interrupt {
    /** The system property the kernel launcher sets while an interrupt is pending. */
    public static final String PROPERTY = "memlab.interrupt";

    private Interrupt() {}

    /**
     * Throws if an interrupt is pending.
     *
     * @throws Stopped when the user interrupted the kernel
     */
    public static void check() {
        String why = System.getProperty(PROPERTY);
        if (why != null) throw new Stopped(why);
    }

    /** Asks running loops to stop at their next check (what the kernel does on an interrupt request). */
    public static void request() {
        System.setProperty(PROPERTY, "interrupt requested");
    }

    /** Withdraws a pending request (what the kernel does when the next cell starts). */
    public static void clear() {
        System.clearProperty(PROPERTY);
    }

    /**
     * The cell was interrupted by the user. An {@link Error}, not an exception, so that per-run error handling
     * ({@code catch (Exception e)} in {@code memlab.sweep.Sweep}) does not record it as a failed run and go on
     * with the next one.
     */
    public static final class Stopped extends Error {
        private static final long serialVersionUID = 1L;

        Stopped(String why) {
            super("interrupted by the user (" + why + "); finished runs are saved, rerun the cell to resume");
        }
    }
}
