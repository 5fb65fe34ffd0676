package dev.lookout.proberunner.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.lookout.proberunner.repository.ProjectSettingsRepository;

/**
 * Per-project comparison settings (table {@code project_settings}); a project without a row has the defaults
 * (semantic similarity off). Projects are OIDC groups, not rows of ours: any project the caller may see has settings.
 */
@ApplicationScoped
@Transactional
public class ComparisonSettingsService {

    private final ProjectSettingsRepository settings;

    public ComparisonSettingsService(ProjectSettingsRepository settings) {
        this.settings = settings;
    }

    /** Whether the project's comparisons include semantic similarity. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean get(Caller caller, String project) {
        caller.requireProject(project);
        return semanticSimilarity(project);
    }

    public boolean put(Caller caller, String project, boolean semanticSimilarity, String user) {
        caller.requireProject(project);
        settings.store(project, semanticSimilarity, user);
        return semanticSimilarity;
    }

    /** Whether comparisons of this project include semantic similarity (default false). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean semanticSimilarity(String project) {
        return settings.semanticSimilarity(project);
    }
}
