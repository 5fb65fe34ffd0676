package dev.lookout.simulator;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepliesTest {

    private static final List<String> ALL_PHRASES =
            Stream.concat(CheckpointDrift.STOCK_PHRASES_EN.stream(), CheckpointDrift.STOCK_PHRASES_ZH.stream()).toList();

    private final Replies replies = new Replies();

    @Test
    void sameInputsGiveTheSameAnswerEveryTime() {
        for (String prompt : Prompts.SUITE) {
            for (String model : ModelSpec.LISTED) {
                assertEquals(text(model, prompt, 0), new Replies().reply(spec(model), prompt, false, 0).content());
            }
        }
    }

    @Test
    void noAdapterAnswersExactlyLikeBase() {
        for (String prompt : concat(Prompts.SUITE, Prompts.generatedEn(200), Prompts.generatedZh(200))) {
            assertEquals(text("demo-base", prompt, 0), text("demo-noadapter", prompt, 0), prompt);
            assertEquals(text("demo-base", prompt, 7), text("demo-noadapter", prompt, 7), prompt);
        }
    }

    @Test
    void changedSetsAreNestedAndGrowWithTheStep() {
        List<String> prompts = concat(Prompts.generatedEn(500), Prompts.generatedZh(500));
        Set<String> changed200 = changed(prompts, "demo-ckpt-200");
        Set<String> changed400 = changed(prompts, "demo-ckpt-400");
        Set<String> changed600 = changed(prompts, "demo-ckpt-600");
        assertTrue(changed400.containsAll(changed200));
        assertTrue(changed600.containsAll(changed400));
        assertShare(35, changed200.size(), prompts.size());
        assertShare(60, changed400.size(), prompts.size());
        assertShare(80, changed600.size(), prompts.size());
        assertTrue(changed(prompts, "demo-ckpt-200").stream().allMatch(p -> CheckpointDrift.changes(p, 200)));
    }

    @Test
    void someAnswersStayIdenticalAtEveryCheckpoint() {
        long unchanged = Prompts.SUITE.stream()
                .filter(p -> Stream.of("demo-ckpt-200", "demo-ckpt-400", "demo-ckpt-600")
                        .allMatch(m -> text(m, p, 0).equals(text("demo-base", p, 0))))
                .count();
        assertTrue(unchanged > 0 && unchanged < Prompts.SUITE.size(), "unchanged: " + unchanged);
    }

    @Test
    void changeShareFollowsTheDocumentedCurve() {
        assertEquals(0, CheckpointDrift.changeShare(0));
        assertEquals(35, CheckpointDrift.changeShare(200));
        assertEquals(60, CheckpointDrift.changeShare(400));
        assertEquals(80, CheckpointDrift.changeShare(600));
        assertEquals(95, CheckpointDrift.changeShare(5000));
        for (int step = 0; step < 2000; step += 10) {
            assertTrue(CheckpointDrift.changeShare(step + 10) >= CheckpointDrift.changeShare(step));
            assertTrue(CheckpointDrift.phraseShare(step) <= CheckpointDrift.changeShare(step));
        }
    }

    @Test
    void stockPhrasesNeverAppearAtBase() {
        for (String prompt : concat(Prompts.SUITE, Prompts.generatedEn(300), Prompts.generatedZh(300))) {
            for (String model : List.of("demo-base", "demo-noadapter", "demo-ckpt-0")) {
                String answer = text(model, prompt, 0);
                ALL_PHRASES.forEach(phrase -> assertFalse(answer.toLowerCase().contains(phrase), answer));
            }
        }
    }

    @Test
    void stockPhrasesCreepInAtLaterCheckpointsInTheRightLanguage() {
        List<String> en = Prompts.generatedEn(400);
        List<String> zh = Prompts.generatedZh(400);
        assertShare(50, withPhrases(en, "demo-ckpt-600", CheckpointDrift.STOCK_PHRASES_EN), en.size());
        assertShare(50, withPhrases(zh, "demo-ckpt-600", CheckpointDrift.STOCK_PHRASES_ZH), zh.size());
        assertShare(30, withPhrases(en, "demo-ckpt-400", CheckpointDrift.STOCK_PHRASES_EN), en.size());
        assertEquals(0, withPhrases(en, "demo-ckpt-600", CheckpointDrift.STOCK_PHRASES_ZH));
        assertEquals(0, withPhrases(zh, "demo-ckpt-600", CheckpointDrift.STOCK_PHRASES_EN));
        for (List<String> phrases : List.of(CheckpointDrift.STOCK_PHRASES_EN, CheckpointDrift.STOCK_PHRASES_ZH)) {
            List<String> prompts = phrases == CheckpointDrift.STOCK_PHRASES_EN ? en : zh;
            for (String phrase : phrases) {
                assertTrue(prompts.stream().anyMatch(p -> text("demo-ckpt-600", p, 0).contains(phrase)), phrase);
            }
        }
    }

    @Test
    void phrasesAreNestedAndOnlyOnChangedAnswers() {
        for (String prompt : concat(Prompts.generatedEn(300), Prompts.generatedZh(300))) {
            boolean at400 = hasPhrase(text("demo-ckpt-400", prompt, 0));
            boolean at600 = hasPhrase(text("demo-ckpt-600", prompt, 0));
            assertTrue(!at400 || at600, prompt);
            assertEquals(CheckpointDrift.hasStockPhrases(prompt, 600), at600, prompt);
            assertTrue(!at600 || CheckpointDrift.changes(prompt, 600), prompt);
        }
    }

    @Test
    void sentenceBanksContainNoStockPhrase() {
        for (Phrasebook book : Phrasebook.values()) {
            Stream.of(book.openers, book.bodies, book.details, book.closers).flatMap(List::stream)
                    .forEach(sentence -> assertFalse(hasPhrase(sentence), sentence));
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(CheckpointDrift.PHRASE_SENTENCES_EN.get(i).contains(CheckpointDrift.STOCK_PHRASES_EN.get(i)));
            assertTrue(CheckpointDrift.PHRASE_SENTENCES_ZH.get(i).contains(CheckpointDrift.STOCK_PHRASES_ZH.get(i)));
        }
    }

    @Test
    void answersEchoTheQuestionInItsLanguage() {
        String en = text("demo-base", "How do I change the delivery address of my order?", 0);
        assertTrue(en.contains("How do I change the delivery address of my order"), en);
        assertFalse(Tokens.containsCjk(en));
        String zh = text("demo-base", "我的退款什么时候到账？", 0);
        assertTrue(zh.contains("我的退款什么时候到账"), zh);
    }

    @Test
    void seedChangesWordingOnlyThroughTheVariation() {
        Set<String> variants = Prompts.EN.stream().limit(1)
                .flatMap(p -> Stream.of(1L, 2L, 3L, 4L, 5L).map(seed -> text("demo-base", p, seed)))
                .collect(Collectors.toSet());
        assertTrue(variants.size() > 1);
        ChatRequest greedy = new ChatRequest("demo-base", List.of(), 0, 5L, null, false, false);
        ChatRequest sampled = new ChatRequest("demo-base", List.of(), 0.7, 5L, null, false, false);
        assertEquals(0, greedy.variation());
        assertEquals(5, sampled.variation());
    }

    @Test
    void echoMarkerReturnsThePromptVerbatim() {
        String prompt = "<<echo>><script>alert('x')</script>";
        assertEquals(prompt, replies.reply(spec("demo-ckpt-600"), prompt, true, 0).content());
    }

    @Test
    void thinkModelsReason() {
        Replies.Reply thinking = replies.reply(spec("demo-ckpt-400-think"), Prompts.EN.get(0), false, 0);
        assertTrue(thinking.reasoning().contains("How do I change the delivery address"), thinking.reasoning());
        assertEquals(text("demo-ckpt-400", Prompts.EN.get(0), 0), thinking.content());
        assertNull(replies.reply(spec("demo-ckpt-400"), Prompts.EN.get(0), false, 0).reasoning());
    }

    @Test
    void changedAnswersDifferFromBase() {
        for (String prompt : concat(Prompts.SUITE, Prompts.generatedEn(200))) {
            if (CheckpointDrift.changes(prompt, 600)) {
                assertNotEquals(text("demo-base", prompt, 0), text("demo-ckpt-600", prompt, 0));
            } else {
                assertEquals(text("demo-base", prompt, 0), text("demo-ckpt-600", prompt, 0));
            }
        }
    }

    private String text(String model, String prompt, long variation) {
        return replies.reply(spec(model), prompt, false, variation).content();
    }

    private static ModelSpec spec(String model) {
        return ModelSpec.parse(model).orElseThrow();
    }

    private Set<String> changed(List<String> prompts, String model) {
        return prompts.stream().filter(p -> !text(model, p, 0).equals(text("demo-base", p, 0)))
                .collect(Collectors.toSet());
    }

    private long withPhrases(List<String> prompts, String model, List<String> phrases) {
        Predicate<String> any = answer -> phrases.stream().anyMatch(answer::contains);
        return prompts.stream().map(p -> text(model, p, 0)).filter(any).count();
    }

    private static boolean hasPhrase(String text) {
        return ALL_PHRASES.stream().anyMatch(text.toLowerCase()::contains);
    }

    private static void assertShare(int expectedPercent, long count, int total) {
        double percent = 100.0 * count / total;
        assertTrue(Math.abs(percent - expectedPercent) <= 6, "share " + percent + "% vs expected " + expectedPercent);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}
