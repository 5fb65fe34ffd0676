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

    @Test
    void shouldGiveExactlyTheStringNgramScoreWithPackedNgrams() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        String pool = "abcdefgh ijk.,!的了是我们会尽快处理请您放心";
        for (int t = 0; t < 300; t++) {
            String a = randomText(random, pool, 1 + random.nextInt(80));
            String b = random.nextBoolean() ? a.substring(0, a.length() / 2) + randomText(random, pool, 10)
                    : randomText(random, pool, 1 + random.nextInt(80));
            assertEquals(reference(a, b), Chrf.score(a, b), 1e-12, a + " | " + b);
        }
        // more distinct characters than fit a packed 6-gram (> 1023): the general path
        StringBuilder wide = new StringBuilder();
        for (int cp = 0x4E00; cp < 0x4E00 + 1500; cp++) {
            wide.appendCodePoint(cp);
        }
        String w = wide.toString();
        assertEquals(reference(w, w.substring(100) + "abc"), Chrf.score(w, w.substring(100) + "abc"), 1e-12);
    }

    private static String randomText(java.util.SplittableRandom random, String pool, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(pool.charAt(random.nextInt(pool.length())));
        }
        return sb.toString();
    }

    /** The textbook definition with string n-grams, as a reference for the packed implementation. */
    private static double reference(String hypothesis, String reference) {
        int[] hyp = hypothesis.codePoints().filter(cp -> !Character.isWhitespace(cp)).toArray();
        int[] ref = reference.codePoints().filter(cp -> !Character.isWhitespace(cp)).toArray();
        if (hyp.length == 0 || ref.length == 0 || java.util.Arrays.equals(hyp, ref)) {
            return Chrf.score(hypothesis, reference); // the special cases are not what is checked here
        }
        double sum = 0;
        int orders = 0;
        for (int n = 1; n <= 6 && hyp.length >= n && ref.length >= n; n++) {
            java.util.Map<String, Integer> h = new java.util.HashMap<>();
            java.util.Map<String, Integer> r = new java.util.HashMap<>();
            for (int i = 0; i + n <= hyp.length; i++) {
                h.merge(new String(hyp, i, n), 1, Integer::sum);
            }
            for (int i = 0; i + n <= ref.length; i++) {
                r.merge(new String(ref, i, n), 1, Integer::sum);
            }
            int matches = 0;
            for (var e : h.entrySet()) {
                matches += Math.min(e.getValue(), r.getOrDefault(e.getKey(), 0));
            }
            double p = (double) matches / (hyp.length - n + 1);
            double rc = (double) matches / (ref.length - n + 1);
            double d = 4 * p + rc;
            sum += d > 0 ? 5 * p * rc / d : 0;
            orders++;
        }
        return sum / orders;
    }
}
