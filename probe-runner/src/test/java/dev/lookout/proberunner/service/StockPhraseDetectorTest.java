package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
