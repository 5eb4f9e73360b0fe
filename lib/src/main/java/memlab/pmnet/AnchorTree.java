package memlab.pmnet;

import memlab.core.Check;

/**
 * The layout of the phasor memory: levels of groups of slots. In the tree, level {@code ℓ} has
 * {@code b^ℓ} groups of {@code b} slots, and slot {@code i} of group {@code j} has the child group
 * {@code b·j + i} at level {@code ℓ + 1}; the paper's tree ({@code b = 4}, four levels) has
 * {@code 1 + 4 + 16 + 64 = 85} groups and 340 slots. The flat layout is one level of one group with
 * all the slots (the ablation "tree flattened").
 */
public final class AnchorTree {
    private final int levels, slots, branching;

    private AnchorTree(int levels, int slots, int branching) {
        this.levels = levels;
        this.slots = slots;
        this.branching = branching;
    }

    /**
     * The tree of {@code levels} levels with {@code branching} slots per group.
     *
     * @param levels    tree depth, {@code >= 1}
     * @param branching slots per group (= children per group), {@code >= 2}
     */
    public static AnchorTree tree(int levels, int branching) {
        Check.positive("levels", levels);
        Check.inRange("branching", branching, 2, 64);
        long groups = 0;
        for (int l = 0; l < levels; l++) groups += Math.round(Math.pow(branching, l));
        if (groups * branching > 1 << 20)
            throw new IllegalArgumentException("levels " + levels + " with branching " + branching + " gives " + groups * branching + " slots, more than 2^20");
        return new AnchorTree(levels, branching, branching);
    }

    /** One level, one group of {@code slots} slots. */
    public static AnchorTree flat(int slots) {
        Check.positive("slots", slots);
        return new AnchorTree(1, slots, 0);
    }

    /** The flat layout with as many slots as this one. */
    public AnchorTree flattened() {
        return flat(totalSlots());
    }

    public int levels() { return levels; }

    /** Slots per group (every group of a layout has the same number). */
    public int slotsPerGroup() { return slots; }

    /** Groups at level {@code level}: {@code b^ℓ} in the tree, 1 when flat. */
    public int groups(int level) {
        Check.inRange("level", level, 0, levels - 1);
        return branching == 0 ? 1 : (int) Math.round(Math.pow(branching, level));
    }

    /** The child group of slot {@code slot} of group {@code group}: {@code b·j + i}. */
    public int child(int group, int slot) {
        return branching * group + slot;
    }

    /** Whether this layout is a tree (not flat). */
    public boolean isTree() { return branching != 0; }

    /** Groups in all levels. */
    public int totalGroups() {
        int n = 0;
        for (int l = 0; l < levels; l++) n += groups(l);
        return n;
    }

    public int totalSlots() { return totalGroups() * slots; }

    @Override
    public String toString() {
        return isTree() ? levels + "-level tree of " + totalGroups() + " groups × " + slots + " slots" : "flat, one group of " + slots + " slots";
    }
}
