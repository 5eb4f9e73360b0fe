package memlab.tasks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers a bAbI-style question by reading the story's text, sentence by sentence, as a person would:
 * a move ("mary went back to the kitchen") sets where someone is, taking ("john picked up the apple")
 * makes an object go where its holder goes, leaving ("john dropped the apple") puts it where the holder
 * stands, and "a is the father of b" / "a is the mother of b" record parents.
 *
 * <p>Independent of how {@link BabiStories} generates stories (it sees only the words), so it checks that
 * every generated question is answerable from its story.
 */
public final class StoryReader {
    static final Set<String> TAKE = Set.of("picked", "grabbed", "got");
    static final Set<String> LEAVE = Set.of("dropped", "discarded", "put");

    private StoryReader() {}

    /** The answer to {@code question} from {@code sentences}, or null if the story does not determine it. */
    public static String answer(List<List<String>> sentences, List<String> question) {
        Map<String, String> place = new HashMap<>(), holder = new HashMap<>(), father = new HashMap<>(), mother = new HashMap<>();
        for (List<String> s : sentences) {
            String subject = s.get(0), last = s.get(s.size() - 1);
            if (s.size() == 6 && s.get(1).equals("is") && s.get(4).equals("of")) {
                (s.get(3).equals("father") ? father : mother).put(last, subject);
            } else if (s.contains("to")) {
                place.put(subject, last);
            } else if (TAKE.contains(s.get(1))) {
                holder.put(last, subject);
            } else if (LEAVE.contains(s.get(1))) {
                holder.remove(last);
                String where = place.get(subject);
                if (where == null) place.remove(last);
                else place.put(last, where);
            } else {
                throw new IllegalArgumentException("cannot read sentence '" + String.join(" ", s) + "'");
            }
        }
        String target = question.get(question.size() - 1);
        if (question.get(0).equals("where")) {
            String h = holder.get(target);
            return h != null ? place.get(h) : place.get(target);
        }
        if (question.size() == 7 && question.get(0).equals("who") && question.get(3).equals("maternal") && question.get(4).equals("grandfather")) {
            String m = mother.get(target);
            return m == null ? null : father.get(m);
        }
        throw new IllegalArgumentException("cannot read question '" + String.join(" ", question) + "'");
    }
}
