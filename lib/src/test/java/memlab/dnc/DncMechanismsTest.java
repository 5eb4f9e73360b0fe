package memlab.dnc;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import memlab.ntm.Controller;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Each mechanism of the DNC on a small example computed by hand from the paper's equations (float64). */
class DncMechanismsTest {
    static final double TOL = 1e-12;

    static NDArray a(NDManager m, double[] v, long... shape) {
        return m.create(v, new Shape(shape));
    }

    static void same(double[] want, NDArray got, String what) {
        double[] v = got.toDoubleArray();
        assertEquals(want.length, v.length, what + ": size");
        for (int i = 0; i < v.length; i++) assertEquals(want[i], v[i], TOL, what + " [" + i + "]");
    }

    @Test
    void usageRisesWithTheLastWriteAndFallsWithFreedReads() {
        try (NDManager m = NDManager.newBaseManager()) {
            // head 1 read slot 2 with free gate 1, head 2 read slots 0 and 3 half each with free gate 0.5
            NDArray readW = a(m, new double[]{0, 0, 1, 0, 0.5, 0, 0, 0.5}, 1, 2, 4);
            NDArray psi = Usage.retention(a(m, new double[]{1, 0.5}, 1, 2), readW);
            same(new double[]{0.75, 1, 0, 0.75}, psi, "retention ψ");
            // u + w − u⊙w = (0.75, 1, 1, 0.2), times ψ
            NDArray u = Usage.next(a(m, new double[]{0.5, 0, 1, 0.2}, 1, 4), a(m, new double[]{0.5, 1, 0, 0}, 1, 4), psi);
            same(new double[]{0.5625, 1, 0, 0.15}, u, "usage u_t");
        }
    }

    @Test
    void allocationFillsTheLeastUsedSlotFirst() {
        try (NDManager m = NDManager.newBaseManager()) {
            // order: slot 2 (0.2), slot 0 (0.4), slot 3 (0.5), slot 1 (0.9)
            NDArray alloc = Allocation.weights(a(m, new double[]{0.4, 0.9, 0.2, 0.5}, 1, 4));
            same(new double[]{0.6 * 0.2, 0.1 * 0.2 * 0.4 * 0.5, 0.8, 0.5 * 0.2 * 0.4}, alloc, "allocation");
            assertEquals(1 - 0.4 * 0.9 * 0.2 * 0.5, alloc.sum().getDouble(), TOL, "Σ a = 1 − Π u");
            same(new double[]{1, 3, 0, 2}, Allocation.rank(a(m, new double[]{0.4, 0.9, 0.2, 0.5}, 1, 4)).toType(ai.djl.ndarray.types.DataType.FLOAT64, false), "ranks");
        }
    }

    @Test
    void tiedUsageIsOrderedByIndex() {
        try (NDManager m = NDManager.newBaseManager()) {
            // order: slot 1, slot 3 (both 0.2: lower index first), slot 0, slot 2 (both 0.5)
            same(new double[]{0.5 * 0.04, 0.8, 0.5 * 0.04 * 0.5, 0.8 * 0.2},
                    Allocation.weights(a(m, new double[]{0.5, 0.2, 0.5, 0.2}, 1, 4)), "allocation with ties");
            // all free (the first step): the first slot gets everything; two rows are independent
            same(new double[]{1, 0, 0, 0, 0, 0, 1, 0}, Allocation.weights(a(m, new double[]{0, 0, 0, 0, 1, 1, 0, 1}, 2, 4)), "all-zero and all-but-one full");
        }
    }

    @Test
    void allocationGradientFollowsTheSortedProduct() {
        try (NDManager m = NDManager.newBaseManager()) {
            // L = Σ c_j a_j with c = (1, 2, 3, 4); the order held fixed, by the product rule:
            //   a2 = 1 − u2, a0 = (1 − u0) u2, a3 = (1 − u3) u2 u0, a1 = (1 − u1) u2 u0 u3
            double[] c = {1, 2, 3, 4};
            same(new double[]{-0.2 + 4 * 0.1 + 2 * 0.01, 2 * -0.04, -3 + 0.6 + 4 * 0.2 + 2 * 0.02, 4 * -0.08 + 2 * 0.008},
                    gradient(m, new double[]{0.4, 0.9, 0.2, 0.5}, c), "∂L/∂u");
            // at zero usage (the cumulative product over zeros): a0 = 1 − u0, a1 = (1 − u1) u0, the rest O(u²)
            same(new double[]{-1 + 2, 0, 0, 0}, gradient(m, new double[]{0, 0, 0, 0}, c), "∂L/∂u at u = 0");
            // with ties (order 1, 3, 0, 2): a1 = 1 − u1, a3 = (1 − u3) u1, a0 = (1 − u0) u1 u3, a2 = (1 − u2) u1 u3 u0
            same(new double[]{-0.04 + 3 * 0.5 * 0.04, -2 + 4 * 0.8 + 0.5 * 0.2 + 3 * 0.5 * 0.2 * 0.5, -3 * 0.04 * 0.5, -4 * 0.2 + 0.5 * 0.2 + 3 * 0.5 * 0.2 * 0.5},
                    gradient(m, new double[]{0.5, 0.2, 0.5, 0.2}, c), "∂L/∂u with ties");
        }
    }

    static NDArray gradient(NDManager m, double[] usage, double[] c) {
        NDArray u = a(m, usage, 1, usage.length);
        u.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(Allocation.weights(u).mul(a(m, c, 1, c.length)).sum());
        }
        return u.getGradient();
    }

    @Test
    void writeWeightingMixesAllocationAndContent() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = WriteWeighting.weights(a(m, new double[]{0.8, 0.2, 0}, 1, 3), a(m, new double[]{0.1, 0.1, 0.8}, 1, 3),
                    a(m, new double[]{0.75}, 1, 1), a(m, new double[]{0.5}, 1, 1));
            same(new double[]{0.5 * (0.6 + 0.025), 0.5 * (0.15 + 0.025), 0.5 * 0.2}, w, "write weighting");
        }
    }

    @Test
    void precedenceKeepsWhatTheWriteLeaves() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = Precedence.next(a(m, new double[]{0.2, 0.5, 0, 0.3}, 1, 4), a(m, new double[]{0, 0.25, 0.5, 0}, 1, 4));
            same(new double[]{0.05, 0.375, 0.5, 0.075}, p, "precedence");
        }
    }

    static final double[] LINKS_BEFORE = {0, 0.2, 0.1, 0.3, 0, 0.4, 0.5, 0.1, 0};
    static final double[] LINKS_AFTER = {0, 0.3 * 0.2 + 0.1 * 0.5, 0.7 * 0.1 + 0.1 * 0.3, 0.3 * 0.3 + 0.6 * 0.2, 0, 0.2 * 0.4 + 0.6 * 0.3, 0.7 * 0.5 + 0.2 * 0.2, 0.2 * 0.1 + 0.2 * 0.5, 0};

    @Test
    void linkUpdateEntryByEntryWithAZeroDiagonal() {
        try (NDManager m = NDManager.newBaseManager()) {
            // L[i, j] = (1 − w_i − w_j) L[i, j] + w_i p_j off the diagonal; w = (0.1, 0.6, 0.2), p = (0.2, 0.5, 0.3)
            NDArray l = LinkMatrix.next(a(m, LINKS_BEFORE, 1, 3, 3), a(m, new double[]{0.2, 0.5, 0.3}, 1, 3), a(m, new double[]{0.1, 0.6, 0.2}, 1, 3));
            same(LINKS_AFTER, l, "link matrix");
        }
    }

    @Test
    void linksRecordTheOrderOfOneHotWrites() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray l = m.zeros(new Shape(1, 3, 3), ai.djl.ndarray.types.DataType.FLOAT64), p = m.zeros(new Shape(1, 3), ai.djl.ndarray.types.DataType.FLOAT64);
            for (int slot : new int[]{0, 1, 2}) {
                NDArray w = m.zeros(new Shape(1, 3), ai.djl.ndarray.types.DataType.FLOAT64);
                w.set(new ai.djl.ndarray.index.NDIndex("0, {}", slot), 1.0);
                l = LinkMatrix.next(l, p, w);
                p = Precedence.next(p, w);
            }
            same(new double[]{0, 0, 0, 1, 0, 0, 0, 1, 0}, l, "slot 1 after 0, slot 2 after 1");
            same(new double[]{0, 0, 1}, p, "the last write");
            same(new double[]{0, 1, 0}, LinkMatrix.forward(l, a(m, new double[]{1, 0, 0}, 1, 1, 3)), "forward from slot 0");
            same(new double[]{0, 1, 0}, LinkMatrix.backward(l, a(m, new double[]{0, 0, 1}, 1, 1, 3)), "backward from slot 2");
        }
    }

    @Test
    void readModesMixBackwardContentForward() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray l = a(m, LINKS_AFTER, 1, 3, 3), prev = a(m, new double[]{1, 0, 0}, 1, 1, 3);
            NDArray f = LinkMatrix.forward(l, prev), b = LinkMatrix.backward(l, prev);
            same(new double[]{0, LINKS_AFTER[3], LINKS_AFTER[6]}, f, "forward = column 0 of L");
            same(new double[]{0, LINKS_AFTER[1], LINKS_AFTER[2]}, b, "backward = row 0 of L");
            NDArray w = ReadModes.mix(a(m, new double[]{0.2, 0.5, 0.3}, 1, 1, 3), b, a(m, new double[]{0.1, 0.3, 0.6}, 1, 1, 3), f);
            same(new double[]{0.5 * 0.1, 0.2 * LINKS_AFTER[1] + 0.5 * 0.3 + 0.3 * LINKS_AFTER[3], 0.2 * LINKS_AFTER[2] + 0.5 * 0.6 + 0.3 * LINKS_AFTER[6]}, w, "read weighting");
        }
    }

    @Test
    void interfaceSplitsInThePapersOrder() {
        DncConfig c = new DncConfig(2, 2, Controller.FEEDFORWARD, 3, 4, 2, 2);
        assertEquals(2 * 2 + 3 * 2 + 5 * 2 + 3, c.interfaceWidth());
        try (NDManager m = NDManager.newBaseManager()) {
            double[] raw = new double[c.interfaceWidth()];
            for (int i = 0; i < raw.length; i++) raw[i] = i;
            Interface in = Interface.of(a(m, raw, 1, raw.length), c);
            same(new double[]{0, 1, 2, 3}, in.readKeys(), "read keys");
            same(new double[]{1 + Math.log1p(Math.exp(4)), 1 + Math.log1p(Math.exp(5))}, in.readStrengths(), "read strengths (oneplus)");
            same(new double[]{6, 7}, in.writeKey(), "write key");
            same(new double[]{1 + Math.log1p(Math.exp(8))}, in.writeStrength(), "write strength");
            same(new double[]{sigmoid(9), sigmoid(10)}, in.erase(), "erase");
            same(new double[]{11, 12}, in.writeVector(), "write vector");
            same(new double[]{sigmoid(13), sigmoid(14)}, in.freeGates(), "free gates");
            same(new double[]{sigmoid(15)}, in.allocationGate(), "allocation gate");
            same(new double[]{sigmoid(16)}, in.writeGate(), "write gate");
            double z = Math.exp(17) + Math.exp(18) + Math.exp(19);
            same(new double[]{Math.exp(17) / z, Math.exp(18) / z, Math.exp(19) / z, Math.exp(20) / (z * Math.exp(3)), Math.exp(21) / (z * Math.exp(3)), Math.exp(22) / (z * Math.exp(3))}, in.readModes(), "read modes");
        }
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
