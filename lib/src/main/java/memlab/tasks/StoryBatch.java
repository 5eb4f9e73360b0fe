package memlab.tasks;

import memlab.core.Check;

import java.util.List;

/**
 * Stories as word ids for a memory network, for R runs of B stories each (row-major host arrays):
 * the last {@code S} sentences of each story, <em>most recent first</em> (memory slot 0 holds the last
 * sentence, so a temporal encoding indexes recency), each padded to {@code J} words with id 0.
 *
 * @param runs            R
 * @param batch           B
 * @param memory          S, sentences kept per story
 * @param words           J, words per sentence and question
 * @param story           {@code (R, B, S, J)} word ids
 * @param sentenceLength  {@code (R, B, S)} words of each sentence, 0 for an empty slot
 * @param question        {@code (R, B, J)} word ids
 * @param questionLength  {@code (R, B)}
 * @param answer          {@code (R, B)} id of the answer word
 * @param supporting      {@code (R, B, S)} 1 where the slot holds a supporting fact, else 0
 */
public record StoryBatch(int runs, int batch, int memory, int words, int[] story, int[] sentenceLength,
                         int[] question, int[] questionLength, int[] answer, int[] supporting) {

    /** Encodes {@code stories.get(r)} as run {@code r}'s batch (every run the same number of stories). */
    public static StoryBatch encode(List<List<Story>> stories, Vocabulary vocabulary, int memory, int words) {
        Check.positive("memory", memory);
        Check.positive("words", words);
        int runs = Check.positive("runs", stories.size()), batch = Check.positive("stories per run", stories.get(0).size());
        int[] story = new int[runs * batch * memory * words], len = new int[runs * batch * memory],
                q = new int[runs * batch * words], qLen = new int[runs * batch], answer = new int[runs * batch], sup = new int[runs * batch * memory];
        for (int r = 0; r < runs; r++) {
            if (stories.get(r).size() != batch)
                throw new IllegalArgumentException("every run needs " + batch + " stories, run " + r + " has " + stories.get(r).size());
            for (int b = 0; b < batch; b++) {
                Story s = stories.get(r).get(b);
                int rb = r * batch + b, n = s.sentences().size();
                for (int slot = 0; slot < Math.min(memory, n); slot++) {
                    int i = n - 1 - slot;                                   // slot 0: the most recent sentence
                    List<String> sentence = s.sentences().get(i);
                    len[rb * memory + slot] = put(sentence, vocabulary, story, (rb * memory + slot) * words, words, "sentence");
                    if (s.supporting().contains(i)) sup[rb * memory + slot] = 1;
                }
                qLen[rb] = put(s.question(), vocabulary, q, rb * words, words, "question");
                answer[rb] = vocabulary.id(s.answer());
            }
        }
        return new StoryBatch(runs, batch, memory, words, story, len, q, qLen, answer, sup);
    }

    private static int put(List<String> text, Vocabulary v, int[] into, int at, int words, String what) {
        if (text.size() > words) throw new IllegalArgumentException("words must be >= " + text.size() + " to hold the " + what + " '" + String.join(" ", text) + "', got " + words);
        for (int j = 0; j < text.size(); j++) into[at + j] = v.id(text.get(j));
        return text.size();
    }
}
