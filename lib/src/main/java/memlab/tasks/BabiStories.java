package memlab.tasks;

import memlab.core.Check;
import memlab.core.Seeds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded generator of bAbI-style stories (after Weston et al. 2015, "Towards AI-Complete Question
 * Answering"), one question at the end of each story:
 * <ul>
 *   <li>{@link BabiTask#SINGLE_SUPPORTING_FACT}: people move between rooms; "where is mary ?" is answered
 *       by her last move;</li>
 *   <li>{@link BabiTask#TWO_SUPPORTING_FACTS}: people also take and leave objects; "where is the apple ?"
 *       needs who last took or left it and where that person was (then, or now if still holding it);</li>
 *   <li>{@link BabiTask#MATERNAL_GRANDFATHER}: the ten parent relations of a child, its parents, and its
 *       parents' siblings (a maternal uncle, a paternal aunt) to its four grandparents, in random order; "who is
 *       the maternal grandfather of anne ?" chains mother, then father (the paternal grandfather, father of a
 *       son and a daughter just like the answer, is the near miss).</li>
 * </ul>
 * The generator simulates the world and takes the answer from its state; {@link StoryReader} reads the
 * text alone, and the tests hold the two to each other. The stories of {@code (seed, index)} depend only
 * on that pair.
 */
public final class BabiStories {
    static final List<String> PEOPLE = List.of("mary", "john", "daniel", "sandra");
    static final List<String> PLACES = List.of("bathroom", "hallway", "garden", "office", "kitchen", "bedroom");
    static final List<String> OBJECTS = List.of("football", "apple", "milk");
    static final List<List<String>> MOVES = List.of(List.of("moved", "to"), List.of("went", "to"), List.of("journeyed", "to"),
            List.of("travelled", "to"), List.of("went", "back", "to"));
    static final List<List<String>> TAKES = List.of(List.of("picked", "up"), List.of("grabbed"), List.of("got"));
    static final List<List<String>> LEAVES = List.of(List.of("dropped"), List.of("discarded"), List.of("put", "down"));
    static final List<String> MEN = List.of("james", "robert", "william", "david", "richard", "thomas", "charles", "peter");
    static final List<String> WOMEN = List.of("anne", "emma", "olivia", "lucy", "sophia", "grace", "alice", "clara");

    private final BabiTask task;
    private final int sentences;

    /**
     * @param task      the question type
     * @param sentences sentences per story: at least {@link BabiTask#minSentences()}; the family-tree story
     *                  is always its ten relations, so exactly 10 there
     */
    public BabiStories(BabiTask task, int sentences) {
        this.task = Check.oneOf("task", task, BabiTask.class);
        Check.positive("sentences", sentences);
        if (task == BabiTask.MATERNAL_GRANDFATHER && sentences != task.minSentences())
            throw new IllegalArgumentException("sentences must be " + task.minSentences() + " for " + task + " (the parents of a child, of its parents and of their siblings), got " + sentences);
        if (sentences < task.minSentences())
            throw new IllegalArgumentException("sentences must be >= " + task.minSentences() + " for " + task + ", got " + sentences);
        this.sentences = sentences;
    }

    /** As {@link #BabiStories(BabiTask, int)} with the task by name (e.g. {@code single-supporting-fact}). */
    public BabiStories(String task, int sentences) {
        this(BabiTask.parse(task), sentences);
    }

    /** Every word any story or question of any task can contain, in a fixed order. */
    public static List<String> words() {
        Set<String> w = new LinkedHashSet<>();
        w.addAll(PEOPLE);
        w.addAll(PLACES);
        w.addAll(OBJECTS);
        for (List<List<String>> verbs : List.of(MOVES, TAKES, LEAVES)) verbs.forEach(w::addAll);
        w.addAll(MEN);
        w.addAll(WOMEN);
        w.addAll(List.of("the", "is", "of", "father", "mother", "where", "who", "maternal", "grandfather"));
        return List.copyOf(w);
    }

    /** The {@code count} stories of {@code (seed, index)}. */
    public List<Story> stories(int count, long seed, long index) {
        Check.positive("count", count);
        SplittableRandom rng = Seeds.stream(seed, "babi-" + task.id(), index);
        List<Story> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(story(rng));
        return out;
    }

    /** One story drawn from {@code rng}. */
    public Story story(SplittableRandom rng) {
        return switch (task) {
            case SINGLE_SUPPORTING_FACT -> whereIsPerson(rng);
            case TWO_SUPPORTING_FACTS -> whereIsObject(rng);
            case MATERNAL_GRANDFATHER -> maternalGrandfather(rng);
        };
    }

    private Story whereIsPerson(SplittableRandom rng) {
        List<List<String>> story = new ArrayList<>();
        Map<String, Integer> lastMove = new HashMap<>();
        Map<String, String> place = new HashMap<>();
        for (int i = 0; i < sentences; i++) {
            String who = pick(rng, PEOPLE), where = pick(rng, PLACES);
            story.add(move(rng, who, where));
            place.put(who, where);
            lastMove.put(who, i);
        }
        String asked = pick(rng, new ArrayList<>(new LinkedHashSet<>(lastMovers(story))));
        return new Story(story, List.of("where", "is", asked), place.get(asked), List.of(lastMove.get(asked)));
    }

    private static List<String> lastMovers(List<List<String>> story) {
        List<String> who = new ArrayList<>();
        for (List<String> s : story) who.add(s.get(0));
        return who;
    }

    /** People move, take and leave; rejected and drawn again until some object has been taken. */
    private Story whereIsObject(SplittableRandom rng) {
        while (true) {
            List<List<String>> story = new ArrayList<>();
            Map<String, String> place = new HashMap<>(), holder = new HashMap<>(), objectPlace = new HashMap<>();
            Map<String, Integer> lastMove = new HashMap<>();
            Map<String, List<Integer>> support = new HashMap<>();     // per object: the sentences its place rests on now
            for (int i = 0; i < sentences; i++) {
                List<String> placed = new ArrayList<>();
                for (String p : PEOPLE) if (place.containsKey(p)) placed.add(p);
                List<String> free = new ArrayList<>();
                for (String o : OBJECTS) if (!holder.containsKey(o)) free.add(o);
                List<String> held = new ArrayList<>(holder.keySet());
                held.sort(null);
                double u = rng.nextDouble();
                if (u < 0.25 && !placed.isEmpty() && !free.isEmpty()) {
                    String who = pick(rng, placed), what = pick(rng, free);
                    story.add(act(rng, TAKES, who, what));
                    holder.put(what, who);
                    support.put(what, new ArrayList<>(List.of(i)));
                } else if (u < 0.45 && !held.isEmpty()) {
                    String what = pick(rng, held), who = holder.remove(what);
                    story.add(act(rng, LEAVES, who, what));
                    objectPlace.put(what, place.get(who));
                    support.put(what, new ArrayList<>(List.of(lastMove.get(who), i)));
                } else {
                    String who = pick(rng, PEOPLE), where = pick(rng, PLACES);
                    story.add(move(rng, who, where));
                    place.put(who, where);
                    lastMove.put(who, i);
                }
            }
            List<String> known = new ArrayList<>();
            for (String o : OBJECTS) if (support.containsKey(o)) known.add(o);
            if (known.isEmpty()) continue;
            String asked = pick(rng, known);
            String h = holder.get(asked);
            List<Integer> facts = new ArrayList<>(support.get(asked));
            if (h != null) facts.add(lastMove.get(h));              // held: where the holder is now
            facts.sort(null);
            String answer = h != null ? place.get(h) : objectPlace.get(asked);
            return new Story(story, List.of("where", "is", "the", asked), answer, facts);
        }
    }

    private Story maternalGrandfather(SplittableRandom rng) {
        List<String> men = shuffled(rng, MEN), women = shuffled(rng, WOMEN);
        boolean girl = rng.nextBoolean();
        String child = girl ? women.get(4) : men.get(4);
        String mother = women.get(0), father = men.get(0), grandfather = men.get(1), grandmother = women.get(1),
                paternalGrandfather = men.get(2), paternalGrandmother = women.get(2), uncle = men.get(3), aunt = women.get(3);
        // Both grandfathers have a son and a daughter: without the uncle and the aunt, "the only man who is
        // father of a woman and of no one else" would give the answer without reading the question.
        List<List<String>> relations = new ArrayList<>(List.of(
                parent(mother, "mother", child), parent(father, "father", child),
                parent(grandfather, "father", mother), parent(grandmother, "mother", mother),
                parent(paternalGrandfather, "father", father), parent(paternalGrandmother, "mother", father),
                parent(grandfather, "father", uncle), parent(grandmother, "mother", uncle),
                parent(paternalGrandfather, "father", aunt), parent(paternalGrandmother, "mother", aunt)));
        int[] order = permutation(rng, relations.size());
        List<List<String>> story = new ArrayList<>();
        int motherAt = -1, fatherOfMotherAt = -1;
        for (int i = 0; i < order.length; i++) {
            story.add(relations.get(order[i]));
            if (order[i] == 0) motherAt = i;
            if (order[i] == 2) fatherOfMotherAt = i;
        }
        return new Story(story, List.of("who", "is", "the", "maternal", "grandfather", "of", child), grandfather,
                List.of(Math.min(motherAt, fatherOfMotherAt), Math.max(motherAt, fatherOfMotherAt)));
    }

    private static List<String> parent(String parent, String relation, String child) {
        return List.of(parent, "is", "the", relation, "of", child);
    }

    private static List<String> move(SplittableRandom rng, String who, String where) {
        List<String> s = new ArrayList<>();
        s.add(who);
        s.addAll(pick(rng, MOVES));
        s.add("the");
        s.add(where);
        return s;
    }

    private static List<String> act(SplittableRandom rng, List<List<String>> verbs, String who, String what) {
        List<String> s = new ArrayList<>();
        s.add(who);
        s.addAll(pick(rng, verbs));
        s.add("the");
        s.add(what);
        return s;
    }

    private static <T> T pick(SplittableRandom rng, List<T> from) {
        return from.get(rng.nextInt(from.size()));
    }

    private static List<String> shuffled(SplittableRandom rng, List<String> from) {
        int[] p = permutation(rng, from.size());
        List<String> out = new ArrayList<>();
        for (int i : p) out.add(from.get(i));
        return out;
    }

    /** A uniform permutation of {@code 0..n−1} (Fisher–Yates). */
    private static int[] permutation(SplittableRandom rng, int n) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public BabiTask task() { return task; }

    public int sentences() { return sentences; }
}
