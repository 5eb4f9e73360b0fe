package memlab.plot;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a page really draws its chart: renders it with headless {@link Chromium} and counts
 * the coloured pixels of the screenshot. Axes, grid lines and text are grey or black, so a page
 * whose traces were not drawn (e.g. Plotly.js never loaded) has almost none.
 *
 * <p>It also checks, without a browser, that no axis is titled by a raw column name
 * ({@link #rawAxisTitles(Path)}).
 *
 * <p>From the command line: {@code java -cp memlab.jar memlab.plot.RenderCheck out/*.html} prints
 * one line per page and exits with 1 if any looks blank or has a raw axis title, 2 if there is no Chromium;
 * {@code RenderCheck --titles out/*&#47;*.html} checks the axis titles only (no browser, fast).
 */
public final class RenderCheck {
    /** A pixel counts as coloured when its largest and smallest RGB channels differ by at least this. */
    public static final int MIN_CHROMA = 60;
    /** Coloured pixels a drawn chart has at least, by default. */
    public static final long MIN_PIXELS = 300;

    /**
     * What one check found.
     *
     * @param html            the page
     * @param png             its screenshot
     * @param colouredPixels  pixels with chroma {@code >= MIN_CHROMA}
     * @param minPixels       how many count as drawn
     * @param elapsed         time Chromium took
     */
    public record Result(Path html, Path png, long colouredPixels, long minPixels, Duration elapsed) {
        /** Whether the chart was drawn. */
        public boolean drawn() {
            return colouredPixels >= minPixels;
        }

        @Override
        public String toString() {
            return (drawn() ? "drawn " : "BLANK ") + html + ": " + colouredPixels + " coloured pixels (need " + minPixels
                    + "), " + elapsed.toMillis() + " ms";
        }
    }

    /** Plotly's first series colour, which every memlab figure with a line draws. */
    static final String FIRST_SERIES = "#1f77b4";
    /** Pixels of {@link #FIRST_SERIES} a drawn line leaves at least. */
    static final long MIN_SERIES_PIXELS = 100;

    private RenderCheck() {}

    /** Checks {@code html} in a 900 × 600 window; the screenshot goes next to it as {@code <name>.check.png}. */
    public static Result check(Path html) {
        return check(html, 900, 600, MIN_PIXELS);
    }

    /** Checks {@code html} in a {@code width × height} window, needing {@code minPixels} coloured pixels. */
    public static Result check(Path html, int width, int height, long minPixels) {
        String name = html.getFileName().toString().replaceFirst("\\.html?$", "");
        Path png = html.resolveSibling(name + ".check.png");
        long t0 = System.nanoTime();
        Chromium.screenshot(html, png, width, height);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        return new Result(html, png, colouredPixels(read(png)), minPixels, elapsed);
    }

    /** The image in a PNG file. */
    public static BufferedImage read(Path png) {
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            if (img == null) throw new IllegalStateException("not an image: " + png);
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pixels whose largest and smallest RGB channels differ by at least {@link #MIN_CHROMA}. */
    public static long colouredPixels(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y), r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) >= MIN_CHROMA) n++;
            }
        return n;
    }

    /** Pixels within {@code tolerance} (per channel) of the colour {@code #rrggbb}. */
    public static long pixelsNear(BufferedImage img, String hex, int tolerance) {
        int c = Integer.parseInt(hex.substring(1), 16), cr = c >> 16 & 255, cg = c >> 8 & 255, cb = c & 255;
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (Math.abs((rgb >> 16 & 255) - cr) <= tolerance && Math.abs((rgb >> 8 & 255) - cg) <= tolerance
                        && Math.abs((rgb & 255) - cb) <= tolerance) n++;
            }
        return n;
    }

    /** The figures' JSON in a page: {@code var fig = {...};}, one line each, as {@link Figure} writes it. */
    private static final Pattern FIGURE_JSON = Pattern.compile("(?m)^var fig = (\\{.*\\});$");

    /**
     * The axis and colour-bar titles of the figures in a saved page (or an exported notebook) that are
     * raw column names rather than words ({@link Labels#isRaw}): {@code snake_case}, a generic
     * long-format name ({@code value}), or a column of the figure's data (its {@code layout.meta.columns},
     * and the header of {@code <name>.csv} beside the page) that has a label of its own. Empty when
     * every title reads as words. Needs no browser.
     */
    public static List<String> rawAxisTitles(Path html) {
        String page;
        try {
            page = Files.readString(html);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> csvColumns = new LinkedHashSet<>();
        Path csv = html.resolveSibling(html.getFileName().toString().replaceFirst("\\.html?$", "") + ".csv");
        if (Files.isRegularFile(csv)) {
            try (var lines = Files.lines(csv)) {
                lines.findFirst().ifPresent(h -> { for (String c : h.split(",")) csvColumns.add(c.replace("\"", "").strip()); });
            } catch (IOException | UncheckedIOException ignored) {
                // no header: the figure's own column list still applies
            }
        }
        List<String> raw = new ArrayList<>();
        Matcher m = FIGURE_JSON.matcher(page);
        while (m.find()) raw.addAll(rawAxisTitles(m.group(1), csvColumns));
        return raw;
    }

    /** The raw titles ({@link #rawAxisTitles(Path)}) of one figure's JSON, with {@code columns} as further data columns. */
    public static List<String> rawAxisTitles(String figureJson, Collection<String> columns) {
        JsonObject fig = JsonParser.parseString(figureJson).getAsJsonObject();
        JsonObject layout = fig.has("layout") ? fig.getAsJsonObject("layout") : new JsonObject();
        Set<String> known = new LinkedHashSet<>(columns);
        if (layout.has("meta") && layout.get("meta").isJsonObject() && layout.getAsJsonObject("meta").has("columns"))
            for (JsonElement c : layout.getAsJsonObject("meta").getAsJsonArray("columns")) known.add(c.getAsString());
        List<String> raw = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : layout.entrySet())
            if (e.getKey().matches("[xy]axis\\d*") && e.getValue().isJsonObject()) {
                String t = title(e.getValue().getAsJsonObject());
                if (Labels.isRaw(t, known)) raw.add(e.getKey() + ": '" + t + "'");
            }
        if (fig.has("data"))
            for (JsonElement d : fig.getAsJsonArray("data"))
                if (d.isJsonObject() && d.getAsJsonObject().has("colorbar") && d.getAsJsonObject().get("colorbar").isJsonObject()) {
                    String t = title(d.getAsJsonObject().getAsJsonObject("colorbar"));
                    if (Labels.isRaw(t, known)) raw.add("colorbar: '" + t + "'");
                }
        return raw;
    }

    private static String title(JsonObject o) {
        if (!o.has("title")) return null;
        JsonElement t = o.get("title");
        if (t.isJsonPrimitive()) return t.getAsString();
        return t.isJsonObject() && t.getAsJsonObject().has("text") ? t.getAsJsonObject().get("text").getAsString() : null;
    }

    /**
     * Checks each page given: that its axis titles are words ({@link #rawAxisTitles(Path)}) and, with
     * Chromium, that it draws its chart. Exit status 1 if any page fails, 2 without Chromium.
     */
    public static void main(String... args) {
        boolean titlesOnly = args.length > 0 && args[0].equals("--titles");
        String[] htmlFiles = titlesOnly ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        boolean ok = true;
        for (String f : htmlFiles) {
            List<String> raw = rawAxisTitles(Path.of(f));
            if (!raw.isEmpty()) System.out.println("RAW TITLES " + f + ": " + raw);
            ok &= raw.isEmpty();
        }
        if (titlesOnly) {
            System.out.println("RenderCheck: " + htmlFiles.length + " pages, " + (ok ? "every axis titled in words" : "RAW AXIS TITLES (see above)"));
            System.exit(ok ? 0 : 1);
        }
        if (!Chromium.available()) {
            System.err.println("RenderCheck: no Chromium on the PATH (or MEMLAB_CHROMIUM)");
            System.exit(2);
        }
        for (String f : htmlFiles) {
            // tall enough to reach a figure below an exported notebook's code; coloured code alone must not pass,
            // so the first series' colour has to be drawn too
            Result r = check(Path.of(f), 1000, 4000, MIN_PIXELS);
            long series = pixelsNear(read(r.png()), FIRST_SERIES, 40);
            System.out.println(r + ", " + series + " pixels of the first series' colour");
            ok &= r.drawn() && series >= MIN_SERIES_PIXELS;
        }
        System.exit(ok ? 0 : 1);
    }
}
