package memlab.plot;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Checks that a page really draws its chart: renders it with headless {@link Chromium} and counts
 * the coloured pixels of the screenshot. Axes, grid lines and text are grey or black, so a page
 * whose traces were not drawn (e.g. Plotly.js never loaded) has almost none.
 *
 * <p>From the command line: {@code java -cp memlab.jar memlab.plot.RenderCheck out/*.html} prints
 * one line per page and exits with 1 if any looks blank, 2 if there is no Chromium.
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

    /** Checks each page given; exit status 1 if any is blank, 2 without Chromium. */
    public static void main(String... htmlFiles) {
        if (!Chromium.available()) {
            System.err.println("RenderCheck: no Chromium on the PATH (or MEMLAB_CHROMIUM)");
            System.exit(2);
        }
        boolean allDrawn = true;
        for (String f : htmlFiles) {
            Result r = check(Path.of(f));
            System.out.println(r);
            allDrawn &= r.drawn();
        }
        System.exit(allDrawn ? 0 : 1);
    }
}
