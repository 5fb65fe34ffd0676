package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.SimulatorAnswers;
import dev.lookout.proberunner.service.StockPhraseDetector.Doc;
import dev.lookout.proberunner.service.StockPhraseDetector.StockPhrase;
import dev.lookout.simulator.CheckpointDrift;

class StockPhraseDetectorTest {

    private static SimulatorAnswers sim;
    private static List<String> prompts;
    private static List<Doc> base;

    private final StockPhraseDetector detector = new StockPhraseDetector(StockPhraseDetector.Settings.defaults());

    @BeforeAll
    static void startSimulator() {
        sim = new SimulatorAnswers();
        prompts = SimulatorAnswers.prompts(60);
        base = docs(sim.answers("demo-base", prompts));
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    private static List<Doc> docs(List<String> texts) {
        List<Doc> docs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            docs.add(new Doc("p" + i, texts.get(i)));
        }
        return docs;
    }

    @Test
    void shouldFindThePlantedChineseAndEnglishPhrasesAtStep600() {
        List<Doc> cand = docs(sim.answers("demo-ckpt-600", prompts));
        List<StockPhrase> found = detector.detect(cand, base);

        List<String> planted = new ArrayList<>(CheckpointDrift.STOCK_PHRASES_ZH);
        planted.addAll(CheckpointDrift.STOCK_PHRASES_EN);
        for (String phrase : planted) {
            StockPhrase hit = found.stream().filter(f -> f.phrase().contains(phrase)).findFirst()
                    .orElseThrow(() -> new AssertionError("'" + phrase + "' not found in " + found));
            assertEquals(0, hit.baselineCount(), hit.toString());
            assertTrue(hit.candidateCount() >= 3, hit.toString());
            assertTrue(hit.probes().size() <= 5 && !hit.probes().isEmpty());
            // example probes really say it
            int index = Integer.parseInt(hit.probes().get(0).substring(1));
            assertTrue(cand.get(index).text().toLowerCase().contains(phrase), cand.get(index).text());
        }
        // the Chinese phrases stand alone in their clause, so they are reported exactly
        for (String zh : CheckpointDrift.STOCK_PHRASES_ZH) {
            assertTrue(found.stream().anyMatch(f -> f.phrase().equals(zh)), zh + " in " + found);
        }
        // maximal: no reported phrase is a piece of another with a similar count
        for (StockPhrase a : found) {
            for (StockPhrase b : found) {
                if (a != b && b.phrase().contains(a.phrase())) {
                    assertTrue(b.candidateCount() < 0.8 * a.candidateCount(), a + " inside " + b);
                }
            }
        }
    }

    @Test
    void shouldReportNothingForAnAdapterThatWasNotApplied() {
        assertEquals(List.of(), detector.detect(docs(sim.answers("demo-noadapter", prompts)), base));
    }

    @Test
    void shouldIgnoreRarePhrasesAndPhrasesTheBaselineAlreadySays() {
        List<Doc> cand = new ArrayList<>();
        List<Doc> baseline = new ArrayList<>();
        IntStream.range(0, 40).forEach(i -> {
            String common = "Thanks for asking about item " + i + ".";
            cand.add(new Doc("p" + i, common + (i < 2 ? " A rare new phrase here." : "")
                    + (i % 2 == 0 ? " Please contact support today." : "")));
            baseline.add(new Doc("p" + i, common + (i % 3 == 0 ? " Please contact support today." : "")));
        });
        // "rare new phrase" is in 2 outputs (< minOutputs); "please contact support today" rose 0.34 → 0.5 only
        assertEquals(List.of(), detector.detect(cand, baseline));
    }

    @Test
    void shouldSplitCjkIntoCharactersAndEnglishIntoWords() {
        assertEquals(List.of(List.of("请", "您", "放", "心"), List.of("we", "will", "don't", "2", "go")),
                StockPhraseDetector.segments("请您放心，We will don't 2 go!"));
        assertEquals("请您ok放心rest assured", StockPhraseDetector.render(List.of("请", "您", "ok", "放", "心", "rest", "assured")));
    }

    /** Distinct content characters (none a function character), one per answer. */
    private static String han(int i) {
        return new String(Character.toChars(0x6C34 + 3 * i));
    }

    @Test
    void shouldNeverReportFunctionWordsOnlyOrTooShortPhrases() {
        List<Doc> cand = new ArrayList<>();
        List<Doc> baseline = new ArrayList<>();
        IntStream.range(0, 40).forEach(i -> {
            cand.add(new Doc("en" + i, "Item " + i + ": done " + i + "a in the " + i + "b. Parcel " + i
                    + "c and all of them " + i + "d. Go on. Rest assured, it is on its way."));
            baseline.add(new Doc("en" + i, "Item " + i + ": done " + i + "a. Parcel " + i + "c. It is on its way."));
            cand.add(new Doc("zh" + i, "订单" + han(i) + "这是我们的" + han(i + 40) + "。" + han(i + 80) + "的是"
                    + han(i + 120) + "，" + han(i + 160) + "了一" + han(i + 200) + "。请您放心。"));
            baseline.add(new Doc("zh" + i, "订单" + han(i) + "。" + han(i + 80) + "。"));
        });
        List<String> phrases = detector.detect(cand, baseline).stream().map(StockPhrase::phrase).toList();
        // "in the", "and all of them", "这是我们的", "的是", "了一" rose as sharply, but say nothing about the model;
        // "go on" has 4 letters (minChars 8)
        assertEquals(List.of("rest assured", "请您放心"), phrases.stream().sorted().toList());

        // with no length floors at all, the function-word rule alone still keeps them out
        StockPhraseDetector.Settings d = StockPhraseDetector.Settings.defaults();
        StockPhraseDetector noFloors = new StockPhraseDetector(new StockPhraseDetector.Settings(d.minOutputs(),
                d.minShare(), d.minRise(), d.minLift(), 1, 1, 0, d.maxTokens(), d.mergeCountRatio(), 50,
                d.maxExamples()));
        List<String> all = noFloors.detect(cand, baseline).stream().map(StockPhrase::phrase).toList();
        assertTrue(all.contains("go on") && all.contains("请您放心") && all.contains("rest assured"), all.toString());
        for (String functionOnly : List.of("in the", "and all of them", "all of", "这是我们的", "的是", "了一", "the")) {
            assertFalse(all.contains(functionOnly), functionOnly + " in " + all);
        }
    }

    @Test
    void shouldTellFunctionWordsOnlyNGrams() {
        assertTrue(StockPhraseDetector.functionWordsOnly(List.of("in", "the")));
        assertTrue(StockPhraseDetector.functionWordsOnly(List.of("of", "the")));
        assertTrue(StockPhraseDetector.functionWordsOnly(List.of("的", "是")));
        assertTrue(StockPhraseDetector.functionWordsOnly(List.of("了", "一")));
        assertFalse(StockPhraseDetector.functionWordsOnly(List.of("in", "the", "box")));
        assertFalse(StockPhraseDetector.functionWordsOnly(List.of("请", "您", "放", "心")));
    }
}
