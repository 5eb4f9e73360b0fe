package memlab.ephemeral;

import memlab.core.Check;
import memlab.notebook.Outcome;
import memlab.stats.Finding;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * eph-budget (beyond the paper): the eph-sweep outcome read at shorter budgets of one training, to
 * see whether the stable/exploded boundary appears only with a long enough budget. No run is
 * trained again: a run's outcome at budget b is read from its recorded metrics up to step b.
 *
 * <p>At budget b a run is <b>exploded</b> if it diverged before step b; else its final loss is the
 * mean of its recorded loss over the last 5% of the b steps ({@link EphemeralExperiment#tail}; with
 * block means, the blocks ending in that window), and it is <b>stable</b> below 2, <b>not learnt</b>
 * otherwise — the criteria of {@link StabilityBoundary}, whose boundary is then read at each budget.
 *
 * @param budgets the budgets read, ascending (those the training reached)
 * @param shares  one row per budget and outcome: {@code budget, outcome, share, runs}
 * @param boundaries one row per budget and base lr: {@code budget, lr, boundary} (largest mostly-stable plasticity, NaN if none)
 * @param at      the {@link StabilityBoundary} at each budget
 */
public record StabilityOverBudget(int[] budgets, Table shares, Table boundaries, List<StabilityBoundary> at) {

    /**
     * Budgets 1, 2, 5 × 10^k from {@code 20 · stride} (the final-loss window, 5% of the budget, then
     * holds at least one recorded row) up to {@code steps}, and {@code steps} itself.
     */
    public static int[] budgets(int steps, int stride) {
        Check.positive("steps", steps);
        Check.positive("stride", stride);
        List<Integer> out = new ArrayList<>();
        for (long p = 1; p <= steps; p *= 10)
            for (int m : new int[]{1, 2, 5}) {
                long b = m * p;
                if (b < steps && b >= 20L * stride) out.add((int) b);
            }
        out.add(steps);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Reads {@code sweep} (its per-run results give lr, plasticity and seed; its curves give
     * {@code run, step, loss}) at each of {@code budgets}. Budgets that the training did not reach
     * (a run still live whose last recorded step is before b − 1) are left out.
     */
    public static StabilityOverBudget of(EphemeralExperiment.SweepResult sweep, int... budgets) {
        Check.notNull("sweep", sweep);
        Table results = sweep.results(), curves = sweep.curves();
        int n = results.rowCount();
        List<double[]> steps = new ArrayList<>(), losses = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Table c = curves.where(curves.intColumn("run").isEqualTo(r)).sortAscendingOn("step");
            steps.add(c.intColumn("step").asList().stream().mapToDouble(Integer::doubleValue).toArray());
            losses.add(c.doubleColumn("loss").asDoubleArray());
        }
        int[] sorted = Arrays.stream(budgets).sorted().distinct().toArray();
        List<Integer> reached = new ArrayList<>();
        List<StabilityBoundary> at = new ArrayList<>();
        IntColumn sb = IntColumn.create("budget"), sr = IntColumn.create("runs"), bb = IntColumn.create("budget");
        StringColumn so = StringColumn.create("outcome");
        DoubleColumn ss = DoubleColumn.create("share"), bl = DoubleColumn.create("lr"), ba = DoubleColumn.create("boundary");
        for (int b : sorted) {
            Check.positive("budget", b);
            Table t = atBudget(results, sweep.divergedAt(), steps, losses, b);
            if (t == null) continue;
            StabilityBoundary sbd = StabilityBoundary.of(t);
            reached.add(b);
            at.add(sbd);
            for (String o : List.of(StabilityBoundary.STABLE, StabilityBoundary.EXPLODED, StabilityBoundary.NOT_LEARNT)) {
                sb.append(b);
                so.append(o);
                int k = sbd.counts().getOrDefault(o, 0);
                sr.append(k);
                ss.append(n == 0 ? Double.NaN : (double) k / n);
            }
            if (sbd.usable())
                for (int i = 0; i < sbd.boundary().length; i++) {
                    bb.append(b);
                    bl.append(sbd.stableShare().xs()[i]);
                    ba.append(sbd.boundary()[i]);
                }
        }
        return new StabilityOverBudget(reached.stream().mapToInt(Integer::intValue).toArray(), Table.create("eph-budget", sb, so, ss, sr),
                Table.create("eph-budget-boundary", bb, bl, ba), List.copyOf(at));
    }

    /** The results table of every run at budget b, or null when a live run has no record up to b − 1. */
    private static Table atBudget(Table results, int[] divergedAt, List<double[]> steps, List<double[]> losses, int b) {
        int n = results.rowCount(), tail = EphemeralExperiment.tail(b);
        double[] lr = new double[n], a = new double[n], seed = new double[n], loss = new double[n], mem = new double[n];
        String[] stable = new String[n], diverged = new String[n];
        for (int r = 0; r < n; r++) {
            lr[r] = number(results, r, "lr");
            a[r] = number(results, r, "plasticity");
            seed[r] = number(results, r, "seed");
            mem[r] = Double.NaN;   // not needed for the boundary
            double[] st = steps.get(r), l = losses.get(r);
            boolean div = divergedAt[r] >= 0 && divergedAt[r] < b;
            if (div) loss[r] = l[l.length - 1];
            else {
                if (st.length == 0 || st[st.length - 1] < b - 1) return null;
                double sum = 0;
                int k = 0;
                for (int i = 0; i < st.length; i++)
                    if (st[i] >= b - tail && st[i] <= b - 1 && Double.isFinite(l[i])) {
                        sum += l[i];
                        k++;
                    }
                loss[r] = k == 0 ? Double.NaN : sum / k;
            }
            diverged[r] = String.valueOf(div);
            stable[r] = String.valueOf(!div && loss[r] < 2);
        }
        return Table.create("eph-sweep@" + b, DoubleColumn.create("lr", lr), DoubleColumn.create("plasticity", a), DoubleColumn.create("seed", seed),
                DoubleColumn.create("final_loss", loss), DoubleColumn.create("final_memory_accuracy", mem),
                StringColumn.create("stable", stable), StringColumn.create("diverged", diverged));
    }

    private static double number(Table t, int row, String column) {
        return t.column(column) instanceof tech.tablesaw.api.NumericColumn<?> c ? c.getDouble(row) : Double.parseDouble(t.getString(row, column));
    }

    /** Share of runs with {@code outcome} at each budget (0 where none), in {@link #budgets} order. */
    public double[] share(String outcome) {
        double[] out = new double[budgets.length];
        for (int i = 0; i < budgets.length; i++) {
            int b = budgets[i];
            Table t = shares.where(shares.intColumn("budget").isEqualTo(b).and(shares.stringColumn("outcome").isEqualTo(outcome)));
            out[i] = t.rowCount() == 0 ? 0 : t.doubleColumn("share").getDouble(0);
        }
        return out;
    }

    /** One line per budget: the outcome shares and the boundary. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < budgets.length; i++) {
            StabilityBoundary s = at.get(i);
            sb.append(String.format("%8d steps: %s; %s%n", budgets[i], s.describeCounts(), s.usable() ? s.describeBoundary() : ""));
        }
        return sb.toString();
    }

    /**
     * Does the boundary appear with the budget, with the paper's shape (lower lr allows higher
     * plasticity, {@link StabilityBoundary#shape})? The outcome is the shape at the longest budget;
     * the text gives the first budget with an exploded run and the first with the paper's shape.
     * Untestable when no budget was reached or no run exploded by the longest budget.
     */
    public Finding judge() {
        if (budgets.length == 0) return Finding.untestable("no budget was reached: the training recorded no step up to the shortest budget asked for");
        int last = budgets.length - 1;
        int firstExploded = -1, firstShape = -1;
        for (int i = 0; i < budgets.length; i++) {
            if (firstExploded < 0 && at.get(i).usable() && at.get(i).counts().getOrDefault(StabilityBoundary.EXPLODED, 0) > 0) firstExploded = i;
            if (firstShape < 0 && at.get(i).shape(budgets[i]).outcome() == Outcome.REPRODUCED) firstShape = i;
        }
        Finding end = at.get(last).shape(budgets[last]);
        String range = budgets.length == 1 ? " (one budget)" : " (budgets " + budgets[0] + " to " + budgets[last] + " steps)";
        if (firstExploded < 0)
            return Finding.untestable("no run exploded within " + budgets[last] + " steps" + range + ", so no stable/exploded boundary appears: "
                    + at.get(last).describeCounts());
        String history = "first exploded run by " + budgets[firstExploded] + " steps; "
                + (firstShape < 0 ? "the boundary never has the paper's shape" + range
                : "the paper's shape first at " + budgets[firstShape] + " steps") + "; at " + budgets[last] + " steps: " + end.text();
        return new Finding(end.outcome(), history);
    }
}
