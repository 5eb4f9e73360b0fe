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
 * <p>Shapes are those the model step broadcasts against without reshaping: per-head numbers as
 * columns {@code (N, R, 1)}, the write head's as {@code (N, 1, ·)}.
 *
 * @param readKeys        {@code (N, R, D)}
 * @param readStrengths   {@code (N, R, 1)}
 * @param writeKey        {@code (N, 1, D)}
 * @param writeStrength   {@code (N, 1, 1)}
 * @param erase           {@code (N, 1, D)}
 * @param writeVector     {@code (N, 1, D)}
 * @param freeGates       {@code (N, R, 1)}
 * @param allocationGate  {@code (N, 1, 1)}
 * @param writeGate       {@code (N, 1, 1)}
 * @param readModes       {@code (N, R, 3)}
 */
public record Interface(NDArray readKeys, NDArray readStrengths, NDArray writeKey, NDArray writeStrength, NDArray erase,
                        NDArray writeVector, NDArray freeGates, NDArray allocationGate, NDArray writeGate, NDArray readModes) {

    /**
     * @param raw {@code ξ_t} before squashing, {@code (N, c.interfaceWidth())} or {@code (N, 1, c.interfaceWidth())}
     */
    public static Interface of(NDArray raw, DncConfig c) {
        int r = c.readHeads(), d = c.width();
        long n = raw.getShape().get(0);
        if (raw.getShape().dimension() == 2) raw = raw.expandDims(1);
        long[] ends = new long[9];
        int[] widths = {r * d, r, d, 1, d, d, r, 1, 1};
        long at = 0;
        for (int i = 0; i < 9; i++) ends[i] = at += widths[i];
        NDList p = raw.split(ends, 2);                                   // (N, 1, width) each: the write head's shapes already
        return new Interface(perHead(p.get(0), n, r, d), perHead(oneplus(p.get(1)), n, r, 1), p.get(2), oneplus(p.get(3)),
                Activation.sigmoid(p.get(4)), p.get(5), perHead(Activation.sigmoid(p.get(6)), n, r, 1),
                Activation.sigmoid(p.get(7)), Activation.sigmoid(p.get(8)), p.get(9).reshape(n, r, 3).softmax(2));
    }

    /** {@code (N, 1, R·k)} as {@code (N, R, k)}; with one head it already is. */
    static NDArray perHead(NDArray x, long n, int heads, int k) {
        return heads == 1 ? x : x.reshape(n, heads, k);
    }

    /** {@code oneplus(x) = 1 + log(1 + e^x)}: a strength of at least 1. */
    static NDArray oneplus(NDArray x) {
        return Scalars.addi(Activation.softPlus(x), 1);          // in place: softplus's gradient needs only its input
    }
}
