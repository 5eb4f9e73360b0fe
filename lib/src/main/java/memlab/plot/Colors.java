package memlab.plot;

import java.util.Locale;

/** The colours series get by default (Plotly's palette), and translucent variants for bands. */
final class Colors {
    private static final String[] PALETTE = {
            "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
            "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private Colors() {}

    /** The {@code i}-th palette colour, cycling. */
    static String nth(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** {@code #rrggbb} as {@code rgba(r,g,b,alpha)}. */
    static String translucent(String hex, double alpha) {
        if (!hex.matches("#[0-9a-fA-F]{6}")) throw new IllegalArgumentException("expected a colour #rrggbb, got '" + hex + "'");
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return String.format(Locale.ROOT, "rgba(%d,%d,%d,%.2f)", rgb >> 16 & 255, rgb >> 8 & 255, rgb & 255, alpha);
    }
}
