package dev.lookout.review.repository;

import dev.lookout.review.service.RubricTag;
import dev.lookout.review.service.ReviewSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;

/** Per-project review settings and rubric tags (tables review_settings and rubric_tags). */
@ApplicationScoped
public class SettingsRepository {

    private final EntityManager em;

    public SettingsRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<ReviewSettings> settings(String project) {
        List<?> rows = em.createNativeQuery("""
                        SELECT against, stop_when_decided, max_votes FROM reviews.review_settings WHERE project = :p""")
                .setParameter("p", project).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new ReviewSettings((String) r[0], (Boolean) r[1],
                r[2] == null ? null : ((Number) r[2]).intValue()));
    }

    public void saveSettings(String project, ReviewSettings settings, String by) {
        em.createNativeQuery("""
                        INSERT INTO reviews.review_settings (project, against, stop_when_decided, max_votes, updated_by)
                        VALUES (:p, :a, :s, CAST(:m AS integer), :by)
                        ON CONFLICT (project) DO UPDATE SET against = excluded.against,
                               stop_when_decided = excluded.stop_when_decided, max_votes = excluded.max_votes,
                               updated_by = excluded.updated_by, updated_at = now()""")
                .setParameter("p", project).setParameter("a", settings.against())
                .setParameter("s", settings.stopWhenDecided())
                .setParameter("m", settings.maxVotes() == null ? null : settings.maxVotes().toString())
                .setParameter("by", by).executeUpdate();
    }

    /** The project's stored tags in position order; retired ones only when asked. */
    public List<RubricTag> tags(String project, boolean withRetired) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT id, label_en, label_zh FROM reviews.rubric_tags
                         WHERE project = :p AND (:all OR NOT retired)
                         ORDER BY retired, position, id""")
                .setParameter("p", project).setParameter("all", withRetired).getResultList();
        return rows.stream()
                .map(r -> new RubricTag((String) r[0], new RubricTag.Label(orNull((String) r[1]), orNull((String) r[2]))))
                .toList();
    }

    /** Replaces the active tags: listed ones are upserted in order, the others are kept as retired. */
    public void replaceTags(String project, List<RubricTag> tags) {
        em.createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtext(:k))) x")
                .setParameter("k", "reviews.rubric\n" + project).getSingleResult();
        em.createNativeQuery("UPDATE reviews.rubric_tags SET retired = true WHERE project = :p")
                .setParameter("p", project).executeUpdate();
        for (int i = 0; i < tags.size(); i++) {
            RubricTag tag = tags.get(i);
            em.createNativeQuery("""
                            INSERT INTO reviews.rubric_tags (project, id, label_en, label_zh, position, retired)
                            VALUES (:p, :id, :en, :zh, :pos, false)
                            ON CONFLICT (project, id) DO UPDATE SET label_en = excluded.label_en,
                                   label_zh = excluded.label_zh, position = excluded.position, retired = false""")
                    .setParameter("p", project).setParameter("id", tag.id())
                    .setParameter("en", orEmpty(tag.label().en())).setParameter("zh", orEmpty(tag.label().zh()))
                    .setParameter("pos", i).executeUpdate();
        }
    }

    /** A missing label is stored as '' (no typed NULL binding needed) and read back as null. */
    private static String orEmpty(String label) {
        return label == null ? "" : label;
    }

    private static String orNull(String label) {
        return label == null || label.isEmpty() ? null : label;
    }
}
