package memlab.tasks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The story generator against {@link StoryReader}, which reads only the words: every generated question is
 * answerable from its story (and from its supporting facts alone), with the generator's answer; the reader
 * is right on hand-written stories; generation is seeded.
 */
class BabiStoriesTest {
    static List<List<String>> story(String... sentences) {
        List<List<String>> out = new ArrayList<>();
        for (String s : sentences) out.add(words(s));
        return out;
    }

    static List<String> words(String s) {
        return Arrays.asList(s.split(" "));
    }

    @ParameterizedTest
    @EnumSource(BabiTask.class)
    void everyQuestionIsAnsweredByItsStoryAndItsSupportingFacts(BabiTask task) {
        for (int sentences : task == BabiTask.MATERNAL_GRANDFATHER ? new int[]{10} : new int[]{task.minSentences(), 5, 12}) {
            Set<String> answers = new HashSet<>();
            for (Story s : new BabiStories(task, sentences).stories(500, 7, 0)) {
                assertEquals(sentences, s.sentences().size());
                assertEquals(s.answer(), StoryReader.answer(s.sentences(), s.question()), () -> "the story answers its question:\n" + s);
                List<List<String>> facts = new ArrayList<>();
                for (int i : s.supporting()) facts.add(s.sentences().get(i));
                assertEquals(s.answer(), StoryReader.answer(facts, s.question()), () -> "the supporting facts alone answer it:\n" + s);
                assertEquals(task == BabiTask.SINGLE_SUPPORTING_FACT ? 1 : 2, s.supporting().size(), () -> "number of supporting facts:\n" + s);
                for (List<String> sentence : s.sentences()) assertTrue(BabiStories.words().containsAll(sentence), sentence::toString);
                answers.add(s.answer());
            }
            assertTrue(answers.size() >= (task == BabiTask.MATERNAL_GRANDFATHER ? 8 : 6), task + ": answers vary " + answers);
        }
    }

    @Test
    void theGrandfatherIsNotAlwaysAtTheSamePlaceAndTheNearMissIsThere() {
        Set<Integer> firstFact = new HashSet<>();
        for (Story s : new BabiStories(BabiTask.MATERNAL_GRANDFATHER, 10).stories(200, 1, 0)) {
            firstFact.add(s.supporting().get(0));
            String child = s.question().get(6), father = null;
            for (List<String> x : s.sentences()) if (x.get(3).equals("father") && x.get(5).equals(child)) father = x.get(0);
            String paternal = null;
            for (List<String> x : s.sentences()) if (x.get(3).equals("father") && x.get(5).equals(father)) paternal = x.get(0);
            assertNotNull(paternal, "the paternal grandfather is in the story");
            assertNotEquals(s.answer(), paternal);
            // no shortcut: each grandfather is the father of one son and one daughter
            for (String g : List.of(s.answer(), paternal)) {
                int children = 0;
                for (List<String> x : s.sentences()) if (x.get(0).equals(g)) children++;
                assertEquals(2, children, g + " is named as a father twice:\n" + s);
            }
        }
        assertTrue(firstFact.size() >= 4, "sentence order is shuffled: " + firstFact);
    }

    @Test
    void readerOnHandWrittenStories() {
        assertEquals("garden", StoryReader.answer(story("mary moved to the bathroom", "john went to the hallway", "mary went back to the garden"), words("where is mary")));
        assertEquals("hallway", StoryReader.answer(story("mary moved to the bathroom", "john went to the hallway", "mary went back to the garden"), words("where is john")));
        assertNull(StoryReader.answer(story("mary moved to the bathroom"), words("where is sandra")), "never mentioned: unanswerable");
        // taken, carried: the object goes where its holder goes
        List<List<String>> carried = story("john went to the kitchen", "john picked up the apple", "mary moved to the office", "john travelled to the garden");
        assertEquals("garden", StoryReader.answer(carried, words("where is the apple")));
        // left behind: the object stays where it was dropped, whatever its holder does next
        List<List<String>> left = story("daniel went to the office", "daniel grabbed the milk", "daniel journeyed to the bedroom",
                "daniel put down the milk", "daniel moved to the hallway");
        assertEquals("bedroom", StoryReader.answer(left, words("where is the milk")));
        assertNull(StoryReader.answer(story("sandra got the football"), words("where is the football")), "holder's place unknown");
        assertNull(StoryReader.answer(story("mary moved to the office"), words("where is the football")), "never mentioned");
        // the primer's example: John is Mary's father, Mary is Anne's mother
        List<List<String>> family = story("peter is the father of thomas", "mary is the mother of anne", "thomas is the father of anne", "john is the father of mary");
        assertEquals("john", StoryReader.answer(family, words("who is the maternal grandfather of anne")));
        assertNull(StoryReader.answer(story("thomas is the father of anne", "peter is the father of thomas"), words("who is the maternal grandfather of anne")));
        assertThrows(IllegalArgumentException.class, () -> StoryReader.answer(story("mary sings"), words("where is mary")));
    }

    @Test
    void generatorOnSmallWorldsItCannotGetWrong() {
        // one sentence: the only move is the answer
        for (Story s : new BabiStories(BabiTask.SINGLE_SUPPORTING_FACT, 1).stories(50, 3, 0)) {
            assertEquals(s.sentences().get(0).get(0), s.question().get(2), "asks about the one who moved");
            assertEquals(s.sentences().get(0).get(s.sentences().get(0).size() - 1), s.answer());
            assertEquals(List.of(0), s.supporting());
        }
        // two sentences of task 2: someone moves, then takes the object asked about
        for (Story s : new BabiStories(BabiTask.TWO_SUPPORTING_FACTS, 2).stories(50, 3, 0)) {
            List<String> move = s.sentences().get(0), take = s.sentences().get(1);
            assertEquals(move.get(0), take.get(0));
            assertEquals(take.get(take.size() - 1), s.question().get(3));
            assertEquals(move.get(move.size() - 1), s.answer());
            assertEquals(List.of(0, 1), s.supporting());
        }
    }

    @Test
    void seededAndEncodedMostRecentFirst() {
        BabiStories task = new BabiStories("two-supporting-facts", 8);
        assertEquals(task.stories(5, 4, 2), task.stories(5, 4, 2));
        assertNotEquals(task.stories(5, 4, 2), task.stories(5, 4, 3));
        Vocabulary v = Vocabulary.babi();
        Story s = task.stories(1, 4, 2).get(0);
        StoryBatch b = StoryBatch.encode(List.of(List.of(s)), v, 10, 7);
        List<String> last = s.sentences().get(7);
        assertEquals(last.size(), b.sentenceLength()[0]);
        for (int j = 0; j < 7; j++) assertEquals(j < last.size() ? v.id(last.get(j)) : 0, b.story()[j], "slot 0 is the last sentence");
        assertEquals(0, b.sentenceLength()[8], "slots past the story are empty");
        assertEquals(v.id(s.answer()), b.answer()[0]);
        int supported = 0;
        for (int i = 0; i < 10; i++) supported += b.supporting()[i];
        assertEquals(s.supporting().size(), supported);
        assertEquals(Vocabulary.NIL, v.word(0));
    }

    @Test
    void badInputNamesTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BabiStories("three-supporting-facts", 5));
        assertEquals("task must be one of [single-supporting-fact, two-supporting-facts, maternal-grandfather], got 'three-supporting-facts'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BabiStories(BabiTask.SINGLE_SUPPORTING_FACT, 0));
        assertEquals("sentences must be a positive integer (> 0), got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BabiStories(BabiTask.TWO_SUPPORTING_FACTS, 1));
        assertEquals("sentences must be >= 2 for two-supporting-facts, got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BabiStories(BabiTask.MATERNAL_GRANDFATHER, 6));
        assertTrue(e.getMessage().startsWith("sentences must be 10 for maternal-grandfather"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BabiStories((BabiTask) null, 3));
        assertTrue(e.getMessage().startsWith("task must be one of"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BabiStories(BabiTask.SINGLE_SUPPORTING_FACT, 3).stories(0, 1, 0));
        assertEquals("count must be a positive integer (> 0), got 0", e.getMessage());
        Story s = new BabiStories(BabiTask.TWO_SUPPORTING_FACTS, 3).stories(1, 1, 0).get(0);
        e = assertThrows(IllegalArgumentException.class, () -> StoryBatch.encode(List.of(List.of(s)), Vocabulary.babi(), 4, 2));
        assertTrue(e.getMessage().startsWith("words must be >= "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StoryBatch.encode(List.of(List.of(s)), Vocabulary.babi(), 0, 7));
        assertEquals("memory must be a positive integer (> 0), got 0", e.getMessage());
    }
}
