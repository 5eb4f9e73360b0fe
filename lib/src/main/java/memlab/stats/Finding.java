package memlab.stats;

import memlab.notebook.Outcome;

import java.util.List;
import java.util.Objects;

/**
 * One tested part of a paper's claim: its {@link Outcome} and our numbers in words. A figure's verdict
 * is one finding, or several {@link #combine combined} (e.g. "earlier", "at a higher loss", "the
 * baseline is stable").
 *
 * @param outcome how this part compares with the paper
 * @param text    our result with the numbers that decide it
 */
public record Finding(Outcome outcome, String text) {
    public Finding {
        Objects.requireNonNull(outcome, "outcome");
        text = text == null ? "" : text;
    }

    /** A part we could not test, with the reason (NaN statistic, empty group, regime never reached). */
    public static Finding untestable(String reason) {
        return new Finding(Outcome.UNTESTABLE, reason);
    }

    /** A part that holds ({@code holds}) or does not. */
    public static Finding of(boolean holds, String text) {
        return new Finding(holds ? Outcome.REPRODUCED : Outcome.NOT_REPRODUCED, text);
    }

    /**
     * The parts of a claim together: {@link Outcome#UNTESTABLE} if no part is testable;
     * {@link Outcome#REPRODUCED} if every part is reproduced; {@link Outcome#NOT_REPRODUCED} if no
     * testable part is reproduced (not even partly); {@link Outcome#PARTLY} otherwise — some parts hold
     * and others fail or cannot be tested. The text lists every part with its outcome.
     */
    public static Finding combine(List<Finding> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("parts must not be empty");
        List<Finding> testable = parts.stream().filter(p -> p.outcome != Outcome.UNTESTABLE).toList();
        Outcome o;
        if (testable.isEmpty()) o = Outcome.UNTESTABLE;
        else if (parts.stream().allMatch(p -> p.outcome == Outcome.REPRODUCED || p.outcome == Outcome.REPORTED)) o = Outcome.REPRODUCED;
        else if (testable.stream().allMatch(p -> p.outcome == Outcome.NOT_REPRODUCED)) o = Outcome.NOT_REPRODUCED;
        else o = Outcome.PARTLY;
        if (parts.size() == 1) return parts.get(0);
        StringBuilder sb = new StringBuilder();
        for (Finding p : parts) sb.append(sb.isEmpty() ? "" : "; ").append(p.text).append(" (").append(p.outcome.label()).append(")");
        return new Finding(o, sb.toString());
    }

    /** {@link #combine(List)} of the given parts. */
    public static Finding combine(Finding... parts) {
        return combine(List.of(parts));
    }

    @Override
    public String toString() {
        return outcome.label() + " — " + text;
    }
}
