package memlab.notebook;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Shows HTML or text in the notebook, through the rapaio Jupyter kernel's display API
 * ({@code org.rapaio.jupyter.kernel.global.Global.display/updateDisplay}), found by reflection so
 * the library does not depend on the kernel.
 *
 * <p>Outside a kernel (plain JVM, tests, a headless run) nothing is shown: {@link #html} does
 * nothing, {@link #text} prints to standard output, and both return {@code null} as the id; updating
 * a {@code null} id does nothing.
 */
public final class Display {
    /** MIME type of HTML. */
    public static final String HTML = "text/html";
    /** MIME type of plain text. */
    public static final String TEXT = "text/plain";

    private static volatile Kernel kernel;

    private Display() {}

    /** Whether the code runs inside the rapaio Jupyter kernel, so output can be shown. */
    public static boolean available() {
        return kernel().live();
    }

    /** Shows {@code html} as a new output; returns its display id ({@code null} outside a kernel). */
    public static String html(String html) {
        return kernel().show(HTML, html);
    }

    /** Shows {@code text} as a new output (outside a kernel: prints it); returns its display id or {@code null}. */
    public static String text(String text) {
        if (!available()) {
            System.out.println(text);
            return null;
        }
        return kernel().show(TEXT, text);
    }

    /** Replaces the output {@code id} (from {@link #html}) by {@code html}. */
    public static void updateHtml(String id, String html) {
        kernel().update(id, HTML, html);
    }

    /** Replaces the output {@code id} (from {@link #text}) by {@code text}. */
    public static void updateText(String id, String text) {
        kernel().update(id, TEXT, text);
    }

    private static Kernel kernel() {
        Kernel k = kernel;
        if (k == null) kernel = k = Kernel.find("org.rapaio.jupyter.kernel.MainApp", "org.rapaio.jupyter.kernel.global.Global");
        return k;
    }

    /** For tests: binds to other classes with the kernel's shape. */
    static void bind(String mainAppClass, String globalClass) {
        kernel = Kernel.find(mainAppClass, globalClass);
    }

    /**
     * The kernel's display methods; {@code display == null} outside a kernel. The kernel is live
     * when {@code MainApp.kernel}, the running kernel, is set.
     */
    record Kernel(Class<?> mainApp, Method display, Method update) {
        static Kernel find(String mainAppClass, String globalClass) {
            for (ClassLoader loader : new ClassLoader[]{Display.class.getClassLoader(),
                    Thread.currentThread().getContextClassLoader(), ClassLoader.getSystemClassLoader()}) {
                try {
                    Class<?> main = Class.forName(mainAppClass, true, loader);
                    Class<?> global = Class.forName(globalClass, true, loader);
                    return new Kernel(main, global.getMethod("display", String.class, Object.class),
                            global.getMethod("updateDisplay", String.class, String.class, Object.class));
                } catch (ReflectiveOperationException | LinkageError | NullPointerException ignored) {
                    // not on this loader: try the next
                }
            }
            return new Kernel(null, null, null);
        }

        boolean live() {
            if (mainApp == null) return false;
            try {
                return mainApp.getField("kernel").get(null) != null;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return false;
            }
        }

        String show(String mime, String value) {
            if (!live()) return null;
            try {
                return (String) display.invoke(null, mime, value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("the kernel failed to display " + mime, e);
            }
        }

        void update(String id, String mime, String value) {
            if (id == null || !live()) return;
            try {
                update.invoke(null, id, mime, value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("the kernel failed to update display " + id, e);
            }
        }
    }
}
