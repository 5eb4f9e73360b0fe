package memlab.dnc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import memlab.core.Scalars;

/**
 * The DNC's interface vector {@code ξ_t} (Graves et al. 2016, Methods, "Interface parameters") split
 * into its parts and squashed into their ranges, for R read heads and slot width D:
 * <pre>
 *   read keys k^{r,i} ∈ ℝ^D        read strengths β^{r,i} = oneplus(β̂) ≥ 1
 *   write key k^w ∈ ℝ^D            write strength β^w = oneplus(β̂^w) ≥ 1
 *   erase e = σ(ê) ∈ [0, 1]^D      write vector v ∈ ℝ^D
 *   free gates f^i = σ(f̂^i)        allocation gate g^a = σ(ĝ^a),  write gate g^w = σ(ĝ^w)
 *   read modes π^i = softmax(π̂^i) over (backward, content, forward)
 * </pre>
 * with {@code oneplus(x) = 1 + log(1 + e^x)}, in this column order.
 *
 * @param readKeys        {@code (N, R, D)}
 * @param readStrengths   {@code (N, R)}
 * @param writeKey        {@code (N, 1, D)}
 * @param writeStrength   {@code (N, 1)}
 * @param erase           {@code (N, 1, D)}
 * @param writeVector     {@code (N, 1, D)}
 * @param freeGates       {@code (N, R)}
 * @param allocationGate  {@code (N, 1)}
 * @param writeGate       {@code (N, 1)}
 * @param readModes       {@code (N, R, 3)}
 */
public record Interface(NDArray readKeys, NDArray readStrengths, NDArray writeKey, NDArray writeStrength, NDArray erase,
                        NDArray writeVector, NDArray freeGates, NDArray allocationGate, NDArray writeGate, NDArray readModes) {

    /**
     * @param raw {@code ξ_t} before squashing {@code (N, c.interfaceWidth())}
     */
    public static Interface of(NDArray raw, DncConfig c) {
        int r = c.readHeads(), d = c.width();
        long n = raw.getShape().get(0);
        long[] ends = new long[9];
        int[] widths = {r * d, r, d, 1, d, d, r, 1, 1};
        long at = 0;
        for (int i = 0; i < 9; i++) ends[i] = at += widths[i];
        NDList p = raw.split(ends, 1);
        return new Interface(p.get(0).reshape(n, r, d), oneplus(p.get(1)), p.get(2).reshape(n, 1, d), oneplus(p.get(3)),
                Activation.sigmoid(p.get(4)).reshape(n, 1, d), p.get(5).reshape(n, 1, d), Activation.sigmoid(p.get(6)),
                Activation.sigmoid(p.get(7)), Activation.sigmoid(p.get(8)), p.get(9).reshape(n, r, 3).softmax(2));
    }

    /** {@code oneplus(x) = 1 + log(1 + e^x)}: a strength of at least 1. */
    static NDArray oneplus(NDArray x) {
        return Scalars.add(Activation.softPlus(x), 1);
    }
}
