package dev.lookout.proberunner.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.lookout.proberunner.rest.Dtos.ComparisonSettings;

/**
 * Per-project comparison settings (table {@code project_settings}); a project without a row has the defaults
 * (semantic similarity off). Projects are OIDC groups, not rows of ours: any project the caller may see has settings.
 */
@ApplicationScoped
@Transactional
public class ComparisonSettingsService {

    private final EntityManager em;

    public ComparisonSettingsService(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ComparisonSettings get(Caller caller, String project) {
        caller.requireProject(project);
        return new ComparisonSettings(semanticSimilarity(project));
    }

    public ComparisonSettings put(Caller caller, String project, ComparisonSettings settings, String user) {
        caller.requireProject(project);
        em.createNativeQuery("""
                insert into project_settings (project, semantic_similarity, updated_at, updated_by)
                values (:p, :s, now(), :u)
                on conflict (project) do update set semantic_similarity = excluded.semantic_similarity,
                  updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """).setParameter("p", project).setParameter("s", settings.semanticSimilarity())
                .setParameter("u", user).executeUpdate();
        return new ComparisonSettings(settings.semanticSimilarity());
    }

    /** Whether comparisons of this project include semantic similarity (default false). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean semanticSimilarity(String project) {
        List<?> rows = em.createNativeQuery("select semantic_similarity from project_settings where project = :p")
                .setParameter("p", project).getResultList();
        return !rows.isEmpty() && Boolean.TRUE.equals(rows.get(0));
    }
}
