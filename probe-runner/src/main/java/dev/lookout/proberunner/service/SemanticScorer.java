package dev.lookout.proberunner.service;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15q.BgeSmallZhV15QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;

/**
 * Semantic similarity of answer pairs with in-process ONNX embedding models (langchain4j): English all-MiniLM-L6-v2
 * (quantized) or Chinese bge-small-zh-v1.5 (quantized), chosen per pair by script: when CJK characters make up at
 * least {@code cjkThreshold} of the letters of the two answers together, bge-small-zh, else MiniLM. Both sides of a
 * pair always go through the same model (cosines across models mean nothing). Identical texts score 1.0 without
 * being embedded, an empty answer against a non-empty one 0.0; each distinct text is embedded once.
 *
 * <p>Blocking and CPU-heavy (≈ 0.6 s per 100 answers on 2 cores): call on a worker thread, never on an event loop.
 * The models are loaded on first use (≈ 25 MB each), so an instance that never compares semantically never loads them.
 */
public final class SemanticScorer {

    /** The embedding models, named as they appear in comparisons. */
    public enum Model {
        MINILM("all-minilm-l6-v2-q"),
        BGE_SMALL_ZH("bge-small-zh-v1.5-q");

        public final String id;

        Model(String id) {
            this.id = id;
        }
    }

    /** One pair's score; null {@code cosine} when a side has no text. */
    public record Score(Model model, Double cosine) {
    }

    /** Texts embedded per call of the model (keeps a single ONNX batch small). */
    static final int CHUNK = 32;

    private final double cjkThreshold;
    private final Function<Model, EmbeddingModel> models;

    /** With the real in-process models. */
    public SemanticScorer(double cjkThreshold) {
        this(cjkThreshold, SemanticScorer::load);
    }

    SemanticScorer(double cjkThreshold, Function<Model, EmbeddingModel> models) {
        this.cjkThreshold = cjkThreshold;
        this.models = models;
    }

    private static EmbeddingModel load(Model model) {
        return switch (model) {
            case MINILM -> MiniLm.MODEL;
            case BGE_SMALL_ZH -> BgeSmallZh.MODEL;
        };
    }

    /*
     * Lazy holders, one per model: a model's ONNX session is created the first time a pair needs it, once per JVM.
     * A direct executor: the caller's worker thread embeds (no thread pool of langchain4j's own, no nested waits).
     */
    private static final class MiniLm {
        static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
    }

    private static final class BgeSmallZh {
        static final EmbeddingModel MODEL = new BgeSmallZhV15QuantizedEmbeddingModel(Runnable::run);
    }

    /** Share of CJK characters among the letters (CJK + other letters) of the text; 0 when it has no letters. */
    public static double cjkShare(String text) {
        if (text == null) {
            return 0;
        }
        int cjk = 0;
        int letters = 0;
        for (int i = 0; i < text.length();) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isCjk(cp)) {
                cjk++;
            } else if (Character.isLetter(cp)) {
                letters++;
            }
        }
        return cjk + letters == 0 ? 0 : (double) cjk / (cjk + letters);
    }

    static boolean isCjk(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL;
    }

    /** The model for a pair: bge-small-zh when the two texts together are at least {@code cjkThreshold} CJK. */
    public Model pick(String a, String b) {
        return cjkShare((a == null ? "" : a) + (b == null ? "" : b)) >= cjkThreshold ? Model.BGE_SMALL_ZH : Model.MINILM;
    }

    /** Scores each pair {candidate, baseline} (same order); a pair with a null side scores null. */
    public List<Score> score(List<String[]> pairs) {
        Map<Model, LinkedHashSet<String>> toEmbed = new EnumMap<>(Model.class);
        List<Model> picked = new ArrayList<>(pairs.size());
        for (String[] p : pairs) {
            if (p[0] == null || p[1] == null) {
                picked.add(null);
                continue;
            }
            Model m = pick(p[0], p[1]);
            picked.add(m);
            if (!p[0].equals(p[1]) && !p[0].isBlank() && !p[1].isBlank()) {
                LinkedHashSet<String> texts = toEmbed.computeIfAbsent(m, k -> new LinkedHashSet<>());
                texts.add(p[0]);
                texts.add(p[1]);
            }
        }
        Map<Model, Map<String, Embedding>> vectors = new EnumMap<>(Model.class);
        toEmbed.forEach((m, texts) -> vectors.put(m, embed(models.apply(m), new ArrayList<>(texts))));
        List<Score> scores = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            String[] p = pairs.get(i);
            Model m = picked.get(i);
            if (m == null) {
                scores.add(new Score(null, null));
            } else if (p[0].equals(p[1]) || p[0].isBlank() && p[1].isBlank()) {
                scores.add(new Score(m, 1.0));
            } else if (p[0].isBlank() || p[1].isBlank()) {
                scores.add(new Score(m, 0.0)); // an empty answer against a real one
            } else {
                Map<String, Embedding> v = vectors.get(m);
                double cos = CosineSimilarity.between(v.get(p[0]), v.get(p[1]));
                scores.add(new Score(m, Math.round(cos * 10_000.0) / 10_000.0));
            }
        }
        return scores;
    }

    private static Map<String, Embedding> embed(EmbeddingModel model, List<String> texts) {
        Map<String, Embedding> out = new HashMap<>(texts.size() * 2);
        for (int from = 0; from < texts.size(); from += CHUNK) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + CHUNK));
            List<TextSegment> segments = chunk.stream().map(TextSegment::from).toList();
            List<Embedding> embeddings = model.embedAll(segments).content();
            for (int i = 0; i < chunk.size(); i++) {
                out.put(chunk.get(i), embeddings.get(i));
            }
        }
        return out;
    }
}
