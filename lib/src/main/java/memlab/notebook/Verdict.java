package memlab.notebook;

import memlab.core.Params;
import memlab.plot.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One figure's "paper vs. ours" verdict, as data: the figure's id and title, the paper's claim,
 * our outcome with the numbers that decide it, the settings, seeds and CPU wall time of the run.
 *
 * <p>Notebooks build it under each figure, {@link #show()} it, and {@link #save()} it as
 * {@code <figure>.verdict.json} beside the figure's HTML, where the results gallery reads it.
 * The outcome is never written by hand: a notebook computes it with the statistics of
 * {@code memlab.stats} and passes the result here.
 *
 * <pre>{@code
 * Verdict.of("egl-loss", "Fig. 1 · loss with vs without the link")
 *        .claim("without the link the loss stalls near 0.85; with it the loss falls from the start")
 *        .settings("B 32, T 50, 300 epochs, Adam 5e-4").seeds(seeds).wallSeconds(s)
 *        .judge(Outcome.REPRODUCED, "the linked runs leave the plateau at epoch 12 ± 3, the others at 140 ± 20")
 *        .show().save();
 * }</pre>
 *
 * @param figure      the figure id (file name of its page)
 * @param title       a short title, as the paper names the figure
 * @param caption     what the figure shows, for a reader who has not read the code (may be empty)
 * @param claim       what the paper reports, in our words
 * @param outcome     how our run compares, {@code null} until {@link #judge}d
 * @param ours        our result in a sentence or two, with the numbers that decide the outcome
 * @param settings    the run's settings, and any scale-down from the paper's
 * @param seeds       the seeds of the runs behind the figure
 * @param wallSeconds CPU wall time of the runs behind the figure, NaN if not measured
 * @param mode        {@code quick} or {@code paper}
 */
public record Verdict(String figure, String title, String caption, String claim, Outcome outcome, String ours,
                      String settings, long[] seeds, double wallSeconds, String mode) {
    /** Every verdict saved in this JVM (the kernel session), in order, for the notebook's summary table. */
    private static final Map<String, Verdict> SAVED = new LinkedHashMap<>();

    public Verdict {
        Objects.requireNonNull(figure, "figure");
        if (!figure.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))
            throw new IllegalArgumentException("figure id '" + figure + "' must be a file name: letters, digits, '.', '_', '-'");
        title = title == null ? "" : title;
        caption = caption == null ? "" : caption;
        claim = claim == null ? "" : claim;
        ours = ours == null ? "" : ours;
        settings = settings == null ? "" : settings;
        seeds = seeds == null ? new long[0] : seeds.clone();
        mode = mode == null ? "" : mode;
    }

    /** A verdict for {@code figure}, not yet judged, in the current {@link Params#mode()}. */
    public static Verdict of(String figure, String title) {
        return new Verdict(figure, title, "", "", null, "", "", new long[0], Double.NaN,
                Params.mode().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** With a caption: what the figure shows (axes, lines, bands and what the spread is). */
    public Verdict caption(String text) {
        return new Verdict(figure, title, text, claim, outcome, ours, settings, seeds, wallSeconds, mode);
    }

    /** With the paper's claim, in our words. */
    public Verdict claim(String text) {
        return new Verdict(figure, title, caption, text, outcome, ours, settings, seeds, wallSeconds, mode);
    }

    /** With the run's settings (and any scale-down from the paper's, with its reason). */
    public Verdict settings(String text) {
        return new Verdict(figure, title, caption, claim, outcome, ours, text, seeds, wallSeconds, mode);
    }

    /** With the seeds of the runs behind the figure. */
    public Verdict seeds(long... s) {
        return new Verdict(figure, title, caption, claim, outcome, ours, settings, s, wallSeconds, mode);
    }

    /** With the CPU wall time of the runs behind the figure. */
    public Verdict wallSeconds(double s) {
        return new Verdict(figure, title, caption, claim, outcome, ours, settings, seeds, s, mode);
    }

    /** Judged: the outcome and our result with the numbers that decide it. */
    public Verdict judge(Outcome o, String text) {
        Objects.requireNonNull(o, "outcome");
        return new Verdict(figure, title, caption, claim, o, text, settings, seeds, wallSeconds, mode);
    }

    @Override
    public long[] seeds() {
        return seeds.clone();
    }

    /** One line: {@code "egl-loss: reproduced — <ours>"}. */
    @Override
    public String toString() {
        return figure + ": " + (outcome == null ? "not judged" : outcome.label()) + (ours.isEmpty() ? "" : " — " + ours);
    }

    /** The verdict as a JSON object (the file the gallery reads). */
    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("figure", figure);
        m.put("title", title);
        m.put("caption", caption);
        m.put("claim", claim);
        m.put("outcome", outcome == null ? null : outcome.name().toLowerCase(java.util.Locale.ROOT));
        m.put("outcome_label", outcome == null ? "not judged" : outcome.label());
        m.put("ours", ours);
        m.put("settings", settings);
        List<Long> s = new ArrayList<>();
        for (long x : seeds) s.add(x);
        m.put("seeds", s);
        m.put("wall_s", wallSeconds);
        m.put("mode", mode);
        return Json.of(m);
    }

    /** The verdict as the HTML block shown under the figure. */
    public String html() {
        String word = outcome == null ? "not judged" : outcome.label();
        String colour = outcome == null ? "#57606a" : outcome.colour();
        StringBuilder sb = new StringBuilder("<div class='memlab-verdict' style='border-left:4px solid ").append(colour)
                .append(";padding:.3em .8em;margin:.4em 0;max-width:60em'>");
        if (!claim.isEmpty()) sb.append("<div><b>Paper:</b> ").append(escape(claim)).append("</div>");
        sb.append("<div><b>Ours:</b> <b style='color:").append(colour).append("'>").append(escape(word)).append("</b>");
        if (!ours.isEmpty()) sb.append(" — ").append(escape(ours));
        sb.append("</div>");
        List<String> facts = new ArrayList<>();
        if (!settings.isEmpty()) facts.add(escape(settings));
        if (seeds.length > 0) facts.add("seeds " + escape(Arrays.toString(seeds).replaceAll("[\\[\\]]", "")));
        if (Double.isFinite(wallSeconds)) facts.add(String.format(java.util.Locale.ROOT, "%.0f s CPU wall time", wallSeconds));
        if (!facts.isEmpty()) sb.append("<div style='color:#57606a;font-size:90%'>").append(String.join(" · ", facts)).append("</div>");
        return sb.append("</div>").toString();
    }

    /** Shows the verdict in the notebook (outside a kernel: prints its line); returns this. */
    public Verdict show() {
        if (Display.available()) Display.html(html());
        else System.out.println(this);
        return this;
    }

    /**
     * Writes {@code <figure>.verdict.json} into {@link Params#outDir()} (through a temporary file
     * and a rename, so a reader never sees half a file) and remembers it for {@link #summary()}.
     * A verdict must be judged before it is saved.
     */
    public Verdict save() {
        return save(Params.outDir());
    }

    /** As {@link #save()}, into {@code dir}. */
    public Verdict save(Path dir) {
        if (outcome == null) throw new IllegalStateException("verdict of " + figure + " is not judged: call judge(outcome, text) first");
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, figure, ".tmp");
            Files.writeString(tmp, json() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(figure + ".verdict.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the verdict of " + figure + " into " + dir, e);
        }
        synchronized (SAVED) {
            SAVED.put(figure, this);
        }
        return this;
    }

    /** The verdicts saved in this session, in the order they were first saved. */
    public static List<Verdict> saved() {
        synchronized (SAVED) {
            return List.copyOf(SAVED.values());
        }
    }

    /** Forgets the saved verdicts (for tests). */
    static void clearSaved() {
        synchronized (SAVED) {
            SAVED.clear();
        }
    }

    /** The notebook's closing table as HTML: one row per saved verdict (figure, paper's claim, ours, outcome). */
    public static String summaryHtml(List<Verdict> verdicts) {
        StringBuilder sb = new StringBuilder("<table class='memlab-summary' style='border-collapse:collapse;max-width:60em'>"
                + "<tr><th style='text-align:left'>figure</th><th style='text-align:left'>paper</th>"
                + "<th style='text-align:left'>ours</th><th style='text-align:left'>verdict</th></tr>");
        for (Verdict v : verdicts) {
            String word = v.outcome == null ? "not judged" : v.outcome.label();
            String colour = v.outcome == null ? "#57606a" : v.outcome.colour();
            sb.append("<tr style='border-top:1px solid #d0d7de;vertical-align:top'><td><code>").append(escape(v.figure))
                    .append("</code></td><td>").append(escape(v.claim)).append("</td><td>").append(escape(v.ours))
                    .append("</td><td style='color:").append(colour).append(";font-weight:bold'>").append(escape(word))
                    .append("</td></tr>");
        }
        return sb.append("</table>").toString();
    }

    /** Shows the summary table of the verdicts saved in this session (outside a kernel: prints one line each). */
    public static void summary() {
        List<Verdict> all = saved();
        if (Display.available()) Display.html(summaryHtml(all));
        else all.forEach(System.out::println);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
