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

    /** MIME type of PNG images. */
    public static final String PNG = "image/png";

    /**
     * Shows {@code html} as a new output whose display bundle also holds the image {@code png}
     * (shown {@code width} CSS pixels wide) and {@code text}: Jupyter shows the HTML, a viewer that
     * runs no scripts (a code host, a plain-text reader) the image or the text. Falls back to
     * {@link #html} if the kernel cannot show bundles or the image cannot be read. Returns the
     * display id ({@code null} outside a kernel).
     */
    public static String htmlWithPng(String html, java.nio.file.Path png, int width, String text) {
        String base64;
        try {
            base64 = java.util.Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(png));
        } catch (java.io.IOException e) {
            return html(html);
        }
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put(HTML, html);
        data.put(PNG, base64);
        data.put(TEXT, text);
        String id = kernel().showBundle(data, java.util.Map.of(PNG, java.util.Map.of("width", width)));
        return id != null || !available() ? id : html(html);
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
        if (k == null) kernel = k = Kernel.find("org.rapaio.jupyter.kernel.MainApp", "org.rapaio.jupyter.kernel.global.Global", DISPLAY_DATA);
        return k;
    }

    /** The kernel's display bundle class: {@code withType(mime, value)}, {@code putData}, {@code putMetaData}, {@code setDisplayId}. */
    static final String DISPLAY_DATA = "org.rapaio.jupyter.kernel.display.DisplayData";

    /** For tests: binds to other classes with the kernel's shape. */
    static void bind(String mainAppClass, String globalClass) {
        kernel = Kernel.find(mainAppClass, globalClass, DISPLAY_DATA);
    }

    /** For tests: binds to other classes with the kernel's shape, display bundles included. */
    static void bind(String mainAppClass, String globalClass, String displayDataClass) {
        kernel = Kernel.find(mainAppClass, globalClass, displayDataClass);
    }

    /**
     * The kernel's display methods; {@code display == null} outside a kernel. The kernel is live
     * when {@code MainApp.kernel}, the running kernel, is set.
     */
    record Kernel(Class<?> mainApp, Method display, Method update, Class<?> displayData) {
        static Kernel find(String mainAppClass, String globalClass, String displayDataClass) {
            for (ClassLoader loader : new ClassLoader[]{Display.class.getClassLoader(),
                    Thread.currentThread().getContextClassLoader(), ClassLoader.getSystemClassLoader()}) {
                try {
                    Class<?> main = Class.forName(mainAppClass, true, loader);
                    Class<?> global = Class.forName(globalClass, true, loader);
                    Class<?> data;
                    try {
                        data = Class.forName(displayDataClass, true, loader);
                    } catch (ReflectiveOperationException | LinkageError e) {
                        data = null;   // a kernel without bundles: single outputs only
                    }
                    return new Kernel(main, global.getMethod("display", String.class, Object.class),
                            global.getMethod("updateDisplay", String.class, String.class, Object.class), data);
                } catch (ReflectiveOperationException | LinkageError | NullPointerException ignored) {
                    // not on this loader: try the next
                }
            }
            return new Kernel(null, null, null, null);
        }

        /**
         * Shows one output of several MIME types: builds the kernel's {@code DisplayData} and hands it
         * to the running kernel's {@code display}; {@code null} if the kernel has no such API.
         */
        String showBundle(java.util.Map<String, Object> data, java.util.Map<String, Object> metadata) {
            if (!live() || displayData == null) return null;
            try {
                var it = data.entrySet().iterator();
                var first = it.next();
                Object bundle = displayData.getMethod("withType", String.class, String.class).invoke(null, first.getKey(), first.getValue());
                Method put = displayData.getMethod("putData", String.class, Object.class);
                while (it.hasNext()) {
                    var e = it.next();
                    put.invoke(bundle, e.getKey(), e.getValue());
                }
                Method meta = displayData.getMethod("putMetaData", String.class, Object.class);
                for (var e : metadata.entrySet()) meta.invoke(bundle, e.getKey(), e.getValue());
                String id = java.util.UUID.randomUUID().toString();
                displayData.getMethod("setDisplayId", String.class).invoke(bundle, id);
                Object running = mainApp.getField("kernel").get(null);
                running.getClass().getMethod("display", displayData).invoke(running, bundle);
                return id;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
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
