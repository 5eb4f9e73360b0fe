package memlab.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium, to turn an HTML page into a PNG. The browser is {@code MEMLAB_CHROMIUM} if set,
 * else the first of {@code chromium}, {@code chromium-browser}, {@code google-chrome} on the PATH.
 */
public final class Chromium {
    /** Longest a screenshot may take. */
    static final int TIMEOUT_SECONDS = 120;
    /** Virtual time the page gets to run its scripts (timers run fast under it). */
    static final int VIRTUAL_TIME_MS = 20_000;

    private Chromium() {}

    /** The browser's executable, if there is one. */
    public static Optional<Path> find() {
        String env = System.getenv("MEMLAB_CHROMIUM");
        if (env != null && !env.isBlank()) return Optional.of(Path.of(env)).filter(Files::isExecutable);
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String name : List.of("chromium", "chromium-browser", "google-chrome"))
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        return Optional.empty();
    }

    /** Whether a browser was found. */
    public static boolean available() {
        return find().isPresent();
    }

    /**
     * Renders {@code html} in a {@code width × height} window and writes the screenshot to {@code png}.
     *
     * @return {@code png}
     * @throws IllegalStateException if there is no browser, or it fails or writes no file
     */
    public static Path screenshot(Path html, Path png, int width, int height) {
        return screenshot(html, png, width, height, 1);
    }

    /**
     * Renders {@code html} in a {@code width × height} window (CSS pixels) at {@code scale} device
     * pixels per CSS pixel, and writes the screenshot ({@code scale·width × scale·height}) to {@code png}.
     *
     * @return {@code png}
     * @throws IllegalStateException if there is no browser, or it fails or writes no file
     */
    public static Path screenshot(Path html, Path png, int width, int height, int scale) {
        return screenshot(html.toAbsolutePath().toUri().toString(), png, width, height, scale);
    }

    /** Like {@link #screenshot(Path, Path, int, int, int)}, for a page at {@code url} (e.g. one a local server serves). */
    public static Path screenshot(String url, Path png, int width, int height, int scale) {
        memlab.core.Check.positive("scale", scale);
        Path exe = find().orElseThrow(() -> new IllegalStateException(
                "no Chromium: install it (apt-get install chromium) or set MEMLAB_CHROMIUM to the browser's path"));
        Path profile = null, log = null;
        try {
            profile = Files.createTempDirectory("memlab-chromium");
            log = Files.createTempFile("memlab-chromium", ".log");
            Path target = png.toAbsolutePath();
            Files.deleteIfExists(target);
            List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--headless", "--disable-gpu", "--hide-scrollbars",
                    "--no-first-run", "--no-default-browser-check", "--mute-audio", "--user-data-dir=" + profile,
                    "--virtual-time-budget=" + VIRTUAL_TIME_MS, "--window-size=" + width + "," + height,
                    "--force-device-scale-factor=" + scale,
                    "--screenshot=" + target));
            if ("root".equals(System.getProperty("user.name"))) cmd.add("--no-sandbox"); // Chromium refuses to sandbox as root
            cmd.add(url);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("Chromium took over " + TIMEOUT_SECONDS + " s on " + url);
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(target))
                throw new IllegalStateException("Chromium failed (exit " + p.exitValue() + ") on " + url + ":\n" + tail(log));
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Chromium ran", e);
        } finally {
            deleteQuietly(profile);
            deleteQuietly(log);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary file left behind is harmless
        }
    }
}
