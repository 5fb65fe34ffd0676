package dev.lookout.proberunner.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Table {@code project_settings}: per-project comparison switches; a project without a row has the defaults. */
@ApplicationScoped
public class ProjectSettingsRepository {

    private final EntityManager em;

    public ProjectSettingsRepository(EntityManager em) {
        this.em = em;
    }

    /** Whether comparisons of the project include semantic similarity (false without a row). */
    public boolean semanticSimilarity(String project) {
        List<?> rows = em.createNativeQuery("select semantic_similarity from project_settings where project = :p")
                .setParameter("p", project).getResultList();
        return !rows.isEmpty() && Boolean.TRUE.equals(rows.get(0));
    }

    /** Inserts or replaces the project's settings. */
    public void store(String project, boolean semanticSimilarity, String user) {
        em.createNativeQuery("""
                insert into project_settings (project, semantic_similarity, updated_at, updated_by)
                values (:p, :s, now(), :u)
                on conflict (project) do update set semantic_similarity = excluded.semantic_similarity,
                  updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """).setParameter("p", project).setParameter("s", semanticSimilarity)
                .setParameter("u", user).executeUpdate();
    }
}
