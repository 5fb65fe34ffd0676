package dev.lookout.proberunner.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds stock phrases: n-grams whose share of candidate outputs rose sharply against the baseline and that appear in
 * many candidate outputs, merged into maximal phrases. Pure and deterministic.
 *
 * <p>Tokens: every CJK character (Han, kana, Hangul) is one token, any other run of letters and digits is one
 * lower-cased word token. Whitespace separates words; any other character (punctuation, symbols, quotes) ends a
 * segment, and n-grams never cross segments — so a phrase is at most one clause. Counts are per output (an output
 * that repeats a phrase counts once).
 *
 * <p>An n-gram is reported when, with C candidate outputs and B baseline outputs:
 * <ul>
 * <li>it is at least {@code minWords} words and {@code minChars} letters/digits long (or {@code minCjkChars}
 * characters when it holds any CJK);</li>
 * <li>it is not made of function words only ({@link #FUNCTION_WORDS}, {@link #FUNCTION_CJK}: "in the", "of the",
 * "的是", "了一" say nothing about the model);</li>
 * <li>candidateCount ≥ {@code minOutputs} and candidateShare ≥ {@code minShare};</li>
 * <li>candidateShare − baselineShare ≥ {@code minRise};</li>
 * <li>candidateShare ≥ {@code minLift} × max(baselineShare, 1/B) (a phrase the baseline never says still needs the
 * rise above).</li>
 * </ul>
 * Merging: longest first, an n-gram contained in an already reported longer phrase whose candidateCount is at least
 * {@code mergeCountRatio} of its own is dropped (it is only a piece of that phrase); a piece that is much more
 * frequent than the longer phrase stands on its own.
 */
public final class StockPhraseDetector {

    /** One output: the probe it answers and its text (null or blank texts are skipped). */
    public record Doc(String probeId, String text) {
    }

    public record StockPhrase(String phrase, int candidateCount, int baselineCount, double candidateShare,
            double baselineShare, List<String> probes) {
    }

    public record Settings(int minOutputs, double minShare, double minRise, double minLift, int minWords,
            int minCjkChars, int minChars, int maxTokens, double mergeCountRatio, int maxPhrases, int maxExamples) {

        public static Settings defaults() {
            return new Settings(3, 0.05, 0.05, 3.0, 2, 3, 8, 32, 0.8, 20, 5);
        }
    }

    /** English function words (articles, prepositions, pronouns, auxiliaries, conjunctions): never a phrase alone. */
    static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "this", "that", "these", "those", "of", "in",
            "on", "at", "to", "for", "from", "by", "with", "about", "as", "into", "onto", "over", "under", "after",
            "before", "between", "through", "during", "without", "within", "up", "down", "out", "off", "and", "or",
            "but", "nor", "so", "if", "then", "than", "because", "while", "when", "where", "which", "who", "whom",
            "whose", "what", "how", "why", "i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us",
            "them", "my", "your", "his", "its", "our", "their", "mine", "yours", "is", "am", "are", "was", "were",
            "be", "been", "being", "do", "does", "did", "have", "has", "had", "will", "would", "shall", "should",
            "can", "could", "may", "might", "must", "not", "no", "there", "here", "all", "any", "some", "each",
            "also", "just", "very", "too", "more", "most", "it's", "i'm", "you're", "we're", "don't", "can't");

    /** Chinese function characters (particles, pronouns, prepositions, copula, measure words, negation). */
    static final Set<String> FUNCTION_CJK = Set.of("的", "了", "是", "在", "和", "与", "及", "或", "也", "都", "就",
            "而", "又", "被", "把", "对", "为", "以", "于", "从", "到", "向", "给", "着", "过", "吗", "呢", "吧", "啊",
            "呀", "么", "之", "其", "这", "那", "个", "一", "不", "有", "我", "你", "他", "她", "它", "们", "您", "此",
            "等", "很", "还", "所", "将", "会", "能", "可", "要", "让", "地", "得", "并", "且", "则", "但", "些", "里",
            "上", "下", "中");

    private final Settings settings;

    public StockPhraseDetector(Settings settings) {
        this.settings = settings;
    }

    public List<StockPhrase> detect(List<Doc> candidate, List<Doc> baseline) {
        List<Doc> cand = candidate.stream().filter(d -> d.text() != null && !d.text().isBlank()).toList();
        List<Doc> base = baseline.stream().filter(d -> d.text() != null && !d.text().isBlank()).toList();
        if (cand.isEmpty()) {
            return List.of();
        }
        int c = cand.size();
        int b = base.size();
        int minCount = Math.max(settings.minOutputs(), (int) Math.ceil(settings.minShare() * c));
        List<List<List<String>>> candSegments = cand.stream().map(d -> segments(d.text())).toList();

        // long enough and frequent: count them in the baseline
        Map<Key, Integer> wanted = new HashMap<>();
        frequentNgrams(candSegments, minCount).forEach((k, v) -> {
            if (longEnough(k.tokens())) {
                wanted.put(k, v);
            }
        });
        Map<Key, Integer> baseCounts = countIn(base, wanted.keySet());
        List<Key> reported = reported(significant(wanted, baseCounts, c, b), wanted);

        List<StockPhrase> result = new ArrayList<>();
        for (Key k : reported.subList(0, Math.min(reported.size(), settings.maxPhrases()))) {
            int cc = wanted.get(k);
            int bc = baseCounts.getOrDefault(k, 0);
            result.add(new StockPhrase(render(k.tokens()), cc, bc, round((double) cc / c),
                    b == 0 ? 0.0 : round((double) bc / b), examples(cand, candSegments, k)));
        }
        return result;
    }

    /** Level-wise (apriori): an n-gram can only be frequent if its (n-1)-prefix is. Counts outputs, not hits. */
    private Map<Key, Integer> frequentNgrams(List<List<List<String>>> candSegments, int minCount) {
        Map<Key, Integer> frequent = new HashMap<>();
        Set<Key> previous = null;
        for (int n = 1; n <= settings.maxTokens(); n++) {
            Map<Key, Integer> counts = new HashMap<>();
            for (List<List<String>> doc : candSegments) {
                Set<Key> seen = new HashSet<>();
                for (List<String> seg : doc) {
                    for (int i = 0; i + n <= seg.size(); i++) {
                        if (previous != null && !previous.contains(new Key(seg.subList(i, i + n - 1)))) {
                            continue;
                        }
                        Key k = new Key(seg.subList(i, i + n));
                        if (seen.add(k)) {
                            counts.merge(k, 1, Integer::sum);
                        }
                    }
                }
            }
            Set<Key> kept = new HashSet<>();
            counts.forEach((k, v) -> {
                if (v >= minCount) {
                    kept.add(k);
                    frequent.put(k, v);
                }
            });
            if (kept.isEmpty()) {
                break;
            }
            previous = kept;
        }
        return frequent;
    }

    /** Phrases common enough in the candidate and clearly more common than in the baseline; longest first. */
    private List<Key> significant(Map<Key, Integer> wanted, Map<Key, Integer> baseCounts, int c, int b) {
        List<Key> significant = new ArrayList<>();
        for (Map.Entry<Key, Integer> e : wanted.entrySet()) {
            double cs = (double) e.getValue() / c;
            int bc = baseCounts.getOrDefault(e.getKey(), 0);
            double bs = b == 0 ? 0.0 : (double) bc / b;
            double floor = b == 0 ? 1.0 / c : 1.0 / b;
            if (cs >= settings.minShare() && cs - bs >= settings.minRise()
                    && cs >= settings.minLift() * Math.max(bs, floor)) {
                significant.add(e.getKey());
            }
        }
        significant.sort(Comparator.<Key>comparingInt(k -> -k.tokens().size())
                .thenComparing(k -> -wanted.get(k)).thenComparing(k -> render(k.tokens())));
        return significant;
    }

    /** Drops pieces of a longer reported phrase that is about as frequent; most frequent first. */
    private List<Key> reported(List<Key> significant, Map<Key, Integer> wanted) {
        List<Key> reported = new ArrayList<>();
        for (Key k : significant) {
            int count = wanted.get(k);
            boolean piece = reported.stream().anyMatch(longer -> contains(longer.tokens(), k.tokens())
                    && wanted.get(longer) >= settings.mergeCountRatio() * count);
            if (!piece) {
                reported.add(k);
            }
        }
        reported.sort(Comparator.<Key>comparingInt(k -> -wanted.get(k)).thenComparing(k -> -k.tokens().size())
                .thenComparing(k -> render(k.tokens())));
        return reported;
    }

    private List<String> examples(List<Doc> docs, List<List<List<String>>> segments, Key k) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < docs.size() && out.size() < settings.maxExamples(); i++) {
            if (containsIn(segments.get(i), k.tokens()) && !out.contains(docs.get(i).probeId())) {
                out.add(docs.get(i).probeId());
            }
        }
        return out;
    }

    private static Map<Key, Integer> countIn(List<Doc> docs, Set<Key> wanted) {
        Map<Key, Integer> counts = new HashMap<>();
        if (wanted.isEmpty()) {
            return counts;
        }
        int maxLen = wanted.stream().mapToInt(k -> k.tokens().size()).max().orElse(0);
        int minLen = wanted.stream().mapToInt(k -> k.tokens().size()).min().orElse(1);
        for (Doc d : docs) {
            Set<Key> seen = new HashSet<>();
            for (List<String> seg : segments(d.text())) {
                for (int i = 0; i < seg.size(); i++) {
                    for (int n = minLen; n <= maxLen && i + n <= seg.size(); n++) {
                        Key k = new Key(seg.subList(i, i + n));
                        if (wanted.contains(k) && seen.add(k)) {
                            counts.merge(k, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        return counts;
    }

    private boolean longEnough(List<String> tokens) {
        if (functionWordsOnly(tokens)) {
            return false;
        }
        int chars = tokens.stream().mapToInt(t -> t.codePointCount(0, t.length())).sum();
        boolean cjk = tokens.stream().anyMatch(t -> isCjk(t.codePointAt(0)));
        if (cjk) {
            return chars >= settings.minCjkChars();
        }
        return tokens.size() >= settings.minWords() && chars >= settings.minChars();
    }

    /** True when every token is a function word (English) or function character (CJK). */
    static boolean functionWordsOnly(List<String> tokens) {
        return tokens.stream().allMatch(t -> FUNCTION_WORDS.contains(t) || FUNCTION_CJK.contains(t));
    }

    /** Splits a text into segments of tokens (see the class comment). */
    static List<List<String>> segments(String text) {
        List<List<String>> segments = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isCjk(cp)) {
                flush(word, current);
                current.add(new String(Character.toChars(cp)));
            } else if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(Character.toLowerCase(cp));
            } else if (cp == '\'' && word.length() > 0 && i < text.length()
                    && Character.isLetter(text.codePointAt(i))) {
                word.append('\''); // don't, it's
            } else if (Character.isWhitespace(cp)) {
                flush(word, current);
            } else {
                flush(word, current);
                if (!current.isEmpty()) {
                    segments.add(current);
                    current = new ArrayList<>();
                }
            }
        }
        flush(word, current);
        if (!current.isEmpty()) {
            segments.add(current);
        }
        return segments;
    }

    private static void flush(StringBuilder word, List<String> into) {
        if (word.length() > 0) {
            into.add(word.toString());
            word.setLength(0);
        }
    }

    static boolean isCjk(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL;
    }

    /** Words joined by a space, CJK characters without one. */
    static String render(List<String> tokens) {
        StringBuilder sb = new StringBuilder();
        String prev = null;
        for (String t : tokens) {
            if (prev != null && !isCjk(prev.codePointAt(0)) && !isCjk(t.codePointAt(0))) {
                sb.append(' ');
            }
            sb.append(t);
            prev = t;
        }
        return sb.toString();
    }

    private static boolean containsIn(List<List<String>> segments, List<String> needle) {
        for (List<String> seg : segments) {
            if (contains(seg, needle)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(List<String> hay, List<String> needle) {
        return java.util.Collections.indexOfSubList(hay, needle) >= 0;
    }

    private static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }

    /** An n-gram as a list of tokens (value equality). */
    private record Key(List<String> tokens) {
        Key {
            tokens = List.copyOf(tokens);
        }
    }
}
