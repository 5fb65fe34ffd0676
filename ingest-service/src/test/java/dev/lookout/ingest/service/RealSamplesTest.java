package dev.lookout.ingest.service;

import dev.lookout.ingest.service.detect.Detectors;
import dev.lookout.ingest.service.detect.Finding;
import dev.lookout.ingest.service.parse.LogParsers;
import dev.lookout.ingest.service.parse.ParsedLog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parsers and default detectors against real third-party training logs kept in this module's test resources
 * ({@code real-logs/}, gzip-compressed; their origins and licences are in {@code real-logs/ORIGIN.md}): healthy runs
 * raise nothing, the known overfitting/memorising runs raise what they should. A missing file fails the test.
 */
class RealSamplesTest {

    static List<Finding> findings(String file) throws IOException {
        InputStream raw = RealSamplesTest.class.getResourceAsStream("/real-logs/" + file + ".gz");
        assertNotNull(raw, "test resource missing: real-logs/" + file + ".gz");
        try (InputStream in = new GZIPInputStream(raw)) {
            ParsedLog log = LogParsers.parse(in, null);
            assertTrue(log.points().size() > 100, file);
            return Detectors.run(log.points(), Detectors.defaults());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "hf_trainer_eagle_draft_HangerYang_Star/trainer_state.json",
            "llamafactory360_dpo_grpo_incomplete_hykun1989/trainer_log.jsonl",
            "llamafactory_cpt_hsc748NLP_NSLLM_qwen3/trainer_log.jsonl",
            "llamafactory_cpt_hsc748NLP_NSLLM_qwen3/trainer_state.json",
            "llamafactory_pt_suzushi_luojiu7b_2023/trainer_log.jsonl",
            "llamafactory_pt_suzushi_luojiu7b_2023/trainer_state.json",
            "llamafactory_sft_syGOAT_mistral_translator/trainer_log.jsonl",
            "llamafactory_sft_syGOAT_mistral_translator/trainer_state.json",
            "llamafactory_sft_syGOAT_mistral_translator/checkpoint-4500_trainer_state.json"})
    void shouldStayQuietOnHealthyRealRuns(String file) throws IOException {
        List<Finding> f = findings(file);
        assertTrue(f.isEmpty(), f.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"llamafactory_sft_evalloss_xueh88401_medical/trainer_log.jsonl"})
    void shouldFindTheRealOverfittingWhereEvalLossBottomed(String file) throws IOException {
        List<Finding> f = findings(file);
        assertEquals(1, f.size(), f.toString());
        assertEquals("overfitting", f.get(0).kind());
        assertEquals(4500, f.get(0).fromStep());
    }

    @ParameterizedTest
    @ValueSource(strings = {"msswift2_internvl2_TangBinghao/logging.jsonl"})
    void shouldFindMsSwiftMemorising(String file) throws IOException {
        List<Finding> f = findings(file);
        assertTrue(f.stream().anyMatch(a -> a.kind().equals("too-fast-drop") && a.message().contains("close to zero")), f.toString());
        assertTrue(f.stream().anyMatch(a -> a.kind().equals("overfitting") && a.fromStep() == 6000), f.toString());
        assertTrue(f.stream().noneMatch(a -> a.kind().equals("divergence")), f.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nanogpt_stdout_druidowm/run-20241012_153325-jnyhr7aj_output.log"})
    void shouldFindNanoGptOverfitting(String file) throws IOException {
        List<Finding> f = findings(file);
        assertTrue(f.stream().anyMatch(a -> a.kind().equals("overfitting") && a.fromStep() == 800), f.toString());
        assertTrue(f.stream().noneMatch(a -> a.kind().equals("divergence") || a.kind().equals("too-fast-drop")), f.toString());
    }
}
