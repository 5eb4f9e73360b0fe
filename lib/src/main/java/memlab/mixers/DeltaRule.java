package memlab.mixers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import memlab.core.Check;

import java.util.ArrayList;
import java.util.List;

/**
 * The (gated) delta rule on one head's sequence, shared by {@link DeltaNet} and
 * {@link GatedDeltaNet}. With keys {@code k_t}, values {@code v_t}, queries {@code q_t}, a write
 * strength {@code β_t ∈ (0, 1)} and a decay {@code α_t ∈ (0, 1]} ({@code α ≡ 1}: DeltaNet):
 * <pre>
 *   S_t = α_t S_{t−1} + β_t k_t (v_t − α_t S_{t−1}ᵀ k_t)ᵀ        (d_k × d_v)
 *   o_t = S_tᵀ q_t
 * </pre>
 * The memory reads what it holds under {@code k_t} and moves it a fraction β_t towards
 * {@code v_t}: a step of online regression (Widrow–Hoff), where linear attention only adds.
 *
 * <p>All arrays have a leading row dimension {@code N} (one row per run, sequence and head):
 * {@code q, k (N, T, d_k)}, {@code v (N, T, d_v)}, {@code β, log α (N, T)}; {@code logAlpha} is
 * {@code null} for DeltaNet.
 */
final class DeltaRule {
    private DeltaRule() {}

    /** The definition, one position after the other (the reference the chunk-wise form is tested against). */
    static NDArray recurrent(NDArray q, NDArray k, NDArray v, NDArray beta, NDArray logAlpha) {
        long n = q.getShape().get(0), len = q.getShape().get(1);
        NDArray state = q.getManager().zeros(new Shape(n, k.getShape().get(2), v.getShape().get(2)));
        List<NDArray> outs = new ArrayList<>();
        for (int t = 0; t < len; t++) {
            NDIndex at = new NDIndex(":, {}:{}, :", t, t + 1), atScalar = new NDIndex(":, {}:{}", t, t + 1);
            NDArray kt = k.get(at), b = beta.get(atScalar).reshape(n, 1, 1);
            if (logAlpha != null) state = state.mul(logAlpha.get(atScalar).exp().reshape(n, 1, 1));   // S ← α S
            NDArray read = kt.batchMatMul(state);                                   // (Sᵀ k)ᵀ
            NDArray update = v.get(at).sub(read).mul(b);                              // β (v − Sᵀ k)
            state = state.add(kt.transpose(0, 2, 1).batchMatMul(update));             // S += k updateᵀ
            outs.add(q.get(at).batchMatMul(state));                                   // (Sᵀ q)ᵀ
        }
        return TimeConcat.of(outs);
    }

    /**
     * The chunk-wise form (Yang et al., "Parallelizing Linear Transformers with the Delta Rule over
     * Sequence Length", 2024). Within a chunk of {@code C} positions with cumulative log decay
     * {@code b_i = Σ_{j ≤ i} log α_j}, unrolling the recurrence from the chunk's initial state
     * {@code S₀} gives {@code S_i = e^{b_i} S₀ + Σ_{j ≤ i} e^{b_i − b_j} k_j u_jᵀ} with pseudo-values
     * {@code u} solving the unit lower-triangular system (the UT transform)
     * <pre>
     *   (I + A) U = diag(β) V − diag(β e^{b}) K S₀,   A_ij = β_i e^{b_i − b_j} k_i·k_j  (j &lt; i)
     *   T = (I + A)⁻¹ diag(β),  W = T diag(e^{b}) K,  U = T V − W S₀            (the WY form)
     *   O = diag(e^{b}) Q S₀ + ((Q Kᵀ) ⊙ Γ) U,        Γ_ij = e^{b_i − b_j}  (j ≤ i), else 0
     *   S_C = e^{b_C} S₀ + (diag(e^{b_C − b}) K)ᵀ U
     * </pre>
     * {@code T}, {@code W}, {@code T V} and {@code (Q Kᵀ) ⊙ Γ} of every chunk are computed at once;
     * only the last three lines run chunk after chunk. {@code T} not a multiple of {@code C}: the
     * sequence is padded with {@code k = v = β = 0}, which leave the state unchanged.
     */
    static NDArray chunked(NDArray q, NDArray k, NDArray v, NDArray beta, NDArray logAlpha, int chunk) {
        Check.positive("chunk", chunk);
        long n = q.getShape().get(0), dk = k.getShape().get(2), dv = v.getShape().get(2);
        int len = (int) q.getShape().get(1);
        int c = Math.min(chunk, len), chunks = (len + c - 1) / c, padded = chunks * c;
        NDManager m = q.getManager();
        if (padded != len) {
            q = pad(q, padded); k = pad(k, padded); v = pad(v, padded);
            beta = pad(beta, padded);
            if (logAlpha != null) logAlpha = pad(logAlpha, padded);
        }
        long rows = n * chunks;
        NDArray qc = q.reshape(rows, c, dk), kc = k.reshape(rows, c, dk), vc = v.reshape(rows, c, dv);
        NDArray bc = beta.reshape(rows, c, 1);
        NDArray strict = Masks.band(m, c, 1, c), causal = Masks.band(m, c, 0, c);

        NDArray gamma = causal, decay = null, decayToEnd = null;   // Γ, e^{b}, e^{b_C − b}
        if (logAlpha != null) {
            NDArray b = logAlpha.reshape(rows, c).cumSum(1);
            NDArray diff = b.reshape(rows, c, 1).sub(b.reshape(rows, 1, c));          // b_i − b_j
            // above the diagonal b_i − b_j > 0 can overflow exp: push it to −1e9 first
            gamma = diff.mul(causal).add(causal.sub(1).mul(1e9f)).exp();
            decay = b.exp().reshape(rows, c, 1);
            decayToEnd = b.get(new NDIndex(":, {}:", c - 1)).sub(b).exp().reshape(rows, c, 1);
        }
        NDArray a = kc.batchMatMul(kc.transpose(0, 2, 1)).mul(gamma).mul(strict).mul(bc);
        NDArray eye = m.eye(c).reshape(1, c, c);
        NDArray tMat = eye.add(a).inverse().mul(bc.reshape(rows, 1, c));              // (I + A)⁻¹ diag(β)
        NDArray w = tMat.batchMatMul(decay == null ? kc : kc.mul(decay));
        NDArray u = tMat.batchMatMul(vc);
        NDArray qk = qc.batchMatMul(kc.transpose(0, 2, 1)).mul(gamma);
        NDArray qd = decay == null ? qc : qc.mul(decay);
        NDArray kd = decayToEnd == null ? kc : kc.mul(decayToEnd);

        NDArray w4 = w.reshape(n, chunks, c, dk), u4 = u.reshape(n, chunks, c, dv), qk4 = qk.reshape(n, chunks, c, c);
        NDArray qd4 = qd.reshape(n, chunks, c, dk), kd4 = kd.reshape(n, chunks, c, dk);
        NDArray chunkDecay = decay == null ? null : decay.reshape(n, chunks, c);
        NDArray state = m.zeros(new Shape(n, dk, dv));
        List<NDArray> outs = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            NDIndex at = new NDIndex(":, {}", i);
            NDArray ui = u4.get(at).sub(w4.get(at).batchMatMul(state));                // U = T V − W S₀
            outs.add(qd4.get(at).batchMatMul(state).add(qk4.get(at).batchMatMul(ui)));
            NDArray carried = chunkDecay == null ? state
                    : state.mul(chunkDecay.get(new NDIndex(":, {}, {}", i, c - 1)).reshape(n, 1, 1));
            state = carried.add(kd4.get(at).transpose(0, 2, 1).batchMatMul(ui));
        }
        NDArray o = TimeConcat.of(outs);
        return padded == len ? o : o.get(new NDIndex(":, :{}", len));
    }

    /** Zeros appended along time (axis 1) up to {@code len}. */
    private static NDArray pad(NDArray x, int len) {
        Shape s = x.getShape();
        long[] dims = s.getShape().clone();
        dims[1] = len - s.get(1);
        return x.concat(x.getManager().zeros(new Shape(dims)), 1);
    }
}
