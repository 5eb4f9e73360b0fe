package memlab.notebook;

/**
 * How a figure of ours compares with the paper's: the one word a {@link Verdict} starts with.
 * The label is what the reader sees; the colour marks it in the notebook and the results gallery.
 */
public enum Outcome {
    /** Our run shows what the paper's figure shows. */
    REPRODUCED("reproduced", "#1a7f37"),
    /** Part of the paper's claim holds in our run, part does not (the text says which). */
    PARTLY("partly reproduced", "#9a6700"),
    /** Our run contradicts the paper's claim (the text gives our numbers). */
    NOT_REPRODUCED("not reproduced", "#cf222e"),
    /** Our run cannot decide: the statistic is undefined (NaN, empty group) or the run never reached the regime the claim is about. */
    UNTESTABLE("untestable", "#57606a"),
    /** A figure beyond the paper, or one the paper makes no testable claim about: we report what happened. */
    REPORTED("reported", "#0969da");

    private final String label;
    private final String colour;

    Outcome(String label, String colour) {
        this.label = label;
        this.colour = colour;
    }

    /** The words the reader sees, e.g. "partly reproduced". */
    public String label() {
        return label;
    }

    /** A CSS colour for the label. */
    public String colour() {
        return colour;
    }

    @Override
    public String toString() {
        return label;
    }
}
