package memlab.diagnostics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import memlab.train.ParamSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradient norm per parameter group and run, and each group's share of the total:
 * <pre>
 *   n_{r,G}     = sqrt( Σ_{θ ∈ G} (∂L/∂θ_r)² )
 *   share_{r,G} = n_{r,G}² / Σ_{all θ} (∂L/∂θ_r)²        (squared norms add up: shares of disjoint groups sum to ≤ 1)
 * </pre>
 * The total is over every parameter, grouped or not, so it is the square of the global norm the
 * optimiser clips. A memory path whose share is tiny gets a diluted gradient.
 *
 * @param groups group names, in order
 * @param norms  {@code norms[r][g]}
 * @param total  global gradient norm of each run
 */
public record GroupGradients(List<String> groups, double[][] norms, double[] total) {
    /**
     * Reads the gradients {@code params} hold now (after a backward pass, before the update).
     * Runs without gradient report NaN.
     */
    public static GroupGradients of(ParamSet params, List<ParamGroup> groups) {
        int runs = params.runs();
        NDList sq = new NDList();
        for (ParamGroup g : groups) {
            NDArray s = null;
            for (ParamGroup.Slice slice : g.slices()) {
                NDArray grad = params.get(slice.param()).getGradient();
                if (slice.to() != -1 || slice.from() != 0)
                    grad = grad.get(new NDIndex("..., {}:{}", slice.from(), slice.to() == -1 ? grad.getShape().getLastDimension() : slice.to()));
                NDArray part = grad.reshape(runs, -1).square().sum(new int[]{1});
                s = s == null ? part : s.add(part);
            }
            sq.add(s);
        }
        NDArray all = null;
        for (NDArray p : params.all().values()) {
            NDArray part = p.getGradient().reshape(runs, -1).square().sum(new int[]{1});
            all = all == null ? part : all.add(part);
        }
        sq.add(all);
        float[] v = NDArrays.stack(sq, 1).toFloatArray();               // (R, G + 1)
        int width = groups.size() + 1;
        double[][] norms = new double[runs][groups.size()];
        double[] total = new double[runs];
        for (int r = 0; r < runs; r++) {
            for (int g = 0; g < groups.size(); g++) norms[r][g] = Math.sqrt(v[r * width + g]);
            total[r] = Math.sqrt(v[r * width + groups.size()]);
        }
        List<String> names = new ArrayList<>();
        for (ParamGroup g : groups) names.add(g.name());
        return new GroupGradients(List.copyOf(names), norms, total);
    }

    /** {@code n_{r,G}} of the group called {@code group}. */
    public double norm(int run, String group) {
        return norms[run][index(group)];
    }

    /** {@code share_{r,G} = n_{r,G}² / total_r²} of the group called {@code group}. */
    public double share(int run, String group) {
        double n = norms[run][index(group)];
        return n * n / (total[run] * total[run]);
    }

    private int index(String group) {
        int i = groups.indexOf(group);
        if (i < 0) throw new IllegalArgumentException("no group '" + group + "'; groups are " + groups);
        return i;
    }
}
