package memlab.tasks;


/**
 * The bAbI-style question types of {@link BabiStories} (after Weston et al. 2015, "Towards AI-Complete
 * Question Answering: A Set of Prerequisite Toy Tasks", tasks 1 and 2, and the family-tree question of the
 * attention-and-memory primer).
 */
public enum BabiTask {
    /** "where is mary ?": the person's last move (bAbI task 1). */
    SINGLE_SUPPORTING_FACT("single-supporting-fact", 1),
    /** "where is the football ?": who last had it, and where they were (bAbI task 2). */
    TWO_SUPPORTING_FACTS("two-supporting-facts", 2),
    /** "who is the maternal grandfather of anne ?": the father of the mother, two relations chained. */
    MATERNAL_GRANDFATHER("maternal-grandfather", 10);

    private final String id;
    private final int minSentences;

    BabiTask(String id, int minSentences) {
        this.id = id;
        this.minSentences = minSentences;
    }

    /** The task's name, e.g. {@code two-supporting-facts}. */
    public String id() { return id; }

    /** The fewest sentences a story of this task can have. */
    public int minSentences() { return minSentences; }

    /** Parses a task name ({@link #id()}, any case). */
    public static BabiTask parse(String name) {
        return memlab.core.Check.named("task", name, values(), BabiTask::id);
    }

    @Override
    public String toString() { return id; }
}
