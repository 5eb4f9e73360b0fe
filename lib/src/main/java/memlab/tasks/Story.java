package memlab.tasks;

import java.util.List;

/**
 * One bAbI-style story: sentences in the order they happen, a question, its one-word answer and the
 * indices of the sentences the answer rests on (the supporting facts). Words are lower case, without
 * punctuation.
 */
public record Story(List<List<String>> sentences, List<String> question, String answer, List<Integer> supporting) {
    public Story {
        sentences = sentences.stream().map(List::copyOf).toList();
        question = List.copyOf(question);
        supporting = List.copyOf(supporting);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences.size(); i++) sb.append(i + 1).append(' ').append(String.join(" ", sentences.get(i))).append(".\n");
        return sb.append(String.join(" ", question)).append("? ").append(answer).append(' ').append(supporting).toString();
    }
}
