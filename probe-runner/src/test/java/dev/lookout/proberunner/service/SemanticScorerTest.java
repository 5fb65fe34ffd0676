package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.SimulatorResource;
import dev.lookout.proberunner.service.SemanticScorer.Model;
import dev.lookout.proberunner.service.SemanticScorer.Score;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * With the real in-process models (MiniLM for English, bge-small-zh for Chinese): paraphrases beat unrelated text.
 *
 * <p>A {@code @QuarkusTest} (with the same global test resources as the others, so no extra start) only for its class
 * loader: the DJL tokenizers load a JNI library, which a JVM lets only one class loader load, and the semantic
 * comparison tests load it in the application's class loader.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class SemanticScorerTest {

    private static SemanticScorer scorer;

    @BeforeAll
    static void load() {
        scorer = new SemanticScorer(0.2);
    }

    @Test
    void shouldScoreEnglishParaphrasesAboveUnrelatedAnswers() {
        List<Score> s = scorer.score(List.of(
                new String[] { "You can reset your password from the login page by clicking \"Forgot password\".",
                        "To reset the password, click \"Forgot password\" on the sign-in screen." },
                new String[] { "You can reset your password from the login page by clicking \"Forgot password\".",
                        "The capital of Australia is Canberra." },
                new String[] { "Refunds arrive within five business days.",
                        "Your money is returned in about a week of working days." },
                new String[] { "Refunds arrive within five business days.",
                        "Here are three tips for writing clear commit messages." }));
        s.forEach(x -> assertEquals(Model.MINILM, x.model()));
        assertTrue(s.get(0).cosine() > s.get(1).cosine() + 0.2, s.toString());
        assertTrue(s.get(2).cosine() > s.get(3).cosine() + 0.2, s.toString());
        assertTrue(s.get(0).cosine() > 0.6 && s.get(0).cosine() <= 1.0, s.toString());
    }

    @Test
    void shouldScoreChineseParaphrasesAboveUnrelatedAnswersWithTheChineseModel() {
        List<Score> s = scorer.score(List.of(
                new String[] { "您的订单已经发货，预计三天内送达。", "订单已寄出，大约三天后就能收到。" },
                new String[] { "您的订单已经发货，预计三天内送达。", "今天的天气非常适合去公园散步。" },
                new String[] { "退款会在五个工作日内退回到您的原支付账户。", "款项将在五个工作日内原路退回。" },
                new String[] { "退款会在五个工作日内退回到您的原支付账户。", "请帮我写一封道歉邮件。" }));
        s.forEach(x -> assertEquals(Model.BGE_SMALL_ZH, x.model()));
        assertTrue(s.get(0).cosine() > s.get(1).cosine(), s.toString());
        assertTrue(s.get(2).cosine() > s.get(3).cosine(), s.toString());
    }

    @Test
    void shouldShortCutIdenticalEmptyAndMissingAnswers() {
        List<Score> s = scorer.score(List.of(new String[] { "same answer", "same answer" },
                new String[] { "", "a real answer" }, new String[] { null, "x" }));
        assertEquals(1.0, s.get(0).cosine());
        assertEquals(0.0, s.get(1).cosine());
        assertNull(s.get(2).cosine());
        assertNull(s.get(2).model());
    }

    @Test
    void shouldPickTheModelByCjkShare() {
        assertEquals(0.0, SemanticScorer.cjkShare("Hello, world! 123"));
        assertEquals(1.0, SemanticScorer.cjkShare("你好，世界！123"));
        assertEquals(0.0, SemanticScorer.cjkShare("  "));
        // 5 CJK characters against 8 Latin letters
        assertEquals(5.0 / 13, SemanticScorer.cjkShare("请访问 Settings 页面"), 1e-9);
        assertEquals(Model.BGE_SMALL_ZH, scorer.pick("请访问 Settings 页面", "请打开设置"));
        assertEquals(Model.MINILM, scorer.pick("Open Settings, then 帮助", "Open the help page"));
        assertEquals(Model.BGE_SMALL_ZH, scorer.pick("こんにちは", "안녕하세요"));
    }
}
