package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChrfTest {

    @Test
    void shouldScoreIdenticalTextsAsOne() {
        assertEquals(1.0, Chrf.score("The cat sat on the mat.", "The cat sat on the mat."));
        assertEquals(1.0, Chrf.score("请您放心，我们会尽快处理。", "请您放心，我们会尽快处理。"));
    }

    @Test
    void shouldIgnoreWhitespaceLikeSacreBleu() {
        assertEquals(1.0, Chrf.score("a b  c", "abc"));
    }

    @Test
    void shouldScoreDisjointTextsNearZero() {
        assertTrue(Chrf.score("xyzzy quux", "abcdef ghij") < 0.01);
        assertTrue(Chrf.score("你好世界", "abcdef") < 0.01);
    }

    @Test
    void shouldHandleEmptyStrings() {
        assertEquals(1.0, Chrf.score("", ""));
        assertEquals(0.0, Chrf.score("", "something"));
        assertEquals(0.0, Chrf.score("something", null));
    }

    @Test
    void shouldRankCloserChineseAnswersHigherWithoutSegmentation() {
        String reference = "退货需要在收到商品后七天内申请，请保留好发票。";
        String close = "退货需要在收到商品后七天内申请，请保留发票。";
        String far = "请您放心，我们会尽快为您处理，感谢您的耐心等待。";
        double closeScore = Chrf.score(close, reference);
        double farScore = Chrf.score(far, reference);
        assertTrue(closeScore > 0.8, "close=" + closeScore);
        assertTrue(farScore < 0.3, "far=" + farScore);
    }

    @Test
    void shouldMatchKnownValueForSmallExample() {
        // hyp "ab", ref "abc": n=1 P=1 R=2/3 F=(5*2/3)/(4+2/3)=0.714286; n=2 P=1 R=1/2 F=2.5/4.5=0.555556
        assertEquals((0.7142857 + 0.5555556) / 2, Chrf.score("ab", "abc"), 1e-6);
    }

    @Test
    void shouldWeightRecallMoreThanPrecision() {
        // beta = 2: missing content (low recall) costs more than extra content (low precision)
        double shorter = Chrf.score("abcd", "abcdefgh");
        double longer = Chrf.score("abcdefgh", "abcd");
        assertTrue(shorter < longer);
    }
}
