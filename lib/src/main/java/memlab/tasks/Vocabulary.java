package memlab.tasks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Words and their ids; id 0 is the padding word {@code <nil>}, which carries no meaning. */
public final class Vocabulary {
    /** The padding word. */
    public static final String NIL = "<nil>";

    private final List<String> words;
    private final Map<String, Integer> ids = new HashMap<>();

    /** Ids {@code 1..n} for {@code words} in order, 0 for {@link #NIL}. */
    public Vocabulary(List<String> words) {
        this.words = new java.util.ArrayList<>();
        this.words.add(NIL);
        ids.put(NIL, 0);
        for (String w : words) {
            if (ids.containsKey(w)) throw new IllegalArgumentException("words must be distinct, '" + w + "' appears twice");
            ids.put(w, this.words.size());
            this.words.add(w);
        }
    }

    /** The vocabulary of every {@link BabiStories} task. */
    public static Vocabulary babi() {
        return new Vocabulary(BabiStories.words());
    }

    /** The id of {@code word}. */
    public int id(String word) {
        Integer i = ids.get(word);
        if (i == null) throw new IllegalArgumentException("word '" + word + "' is not in the vocabulary");
        return i;
    }

    /** The word of id {@code id}. */
    public String word(int id) {
        return words.get(id);
    }

    /** Number of ids, the padding word included. */
    public int size() {
        return words.size();
    }
}
