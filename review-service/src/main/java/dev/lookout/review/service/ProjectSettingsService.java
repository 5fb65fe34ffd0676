package dev.lookout.review.service;

import dev.lookout.review.config.ReviewConfig;
import dev.lookout.review.repository.SettingsRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per-project rubric (tags with stable ids) and review settings. A project without stored tags uses the configured
 * rubric (its own list or the default), with ids derived from the English label, so the first PUT keeps them.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ProjectSettingsService {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    static final int MAX_TAGS = 40;
    static final int MAX_LABEL = 80;
    private static final Set<String> AGAINST = Set.of("base", "previous", "both");

    private final SettingsRepository repository;
    private final ReviewConfig config;

    public ProjectSettingsService(SettingsRepository repository, ReviewConfig config) {
        this.repository = repository;
        this.config = config;
    }

    public ReviewSettings settings(String project) {
        return repository.settings(project).orElse(ReviewSettings.DEFAULT);
    }

    @Transactional
    public ReviewSettings saveSettings(Caller caller, String project, ReviewSettings given) {
        List<BadInputException.Where> errors = new ArrayList<>();
        if (given.against() == null || !AGAINST.contains(given.against())) {
            errors.add(new BadInputException.Where("against", "must be base, previous or both"));
        }
        if (given.maxVotes() != null && (given.maxVotes() < 1 || given.maxVotes() > 100_000)) {
            errors.add(new BadInputException.Where("maxVotes", "must be between 1 and 100000, or null"));
        }
        if (!errors.isEmpty()) {
            throw new BadInputException("review settings are not valid", errors);
        }
        repository.saveSettings(project, given, caller.name());
        return given;
    }

    /** The project's active tags, in order. */
    public List<RubricTag> rubric(String project) {
        List<RubricTag> stored = repository.tags(project, false);
        return stored.isEmpty() && repository.tags(project, true).isEmpty() ? configured(project) : stored;
    }

    /** Every tag the project ever had (retired ones too) plus the configured ones: what old votes may name. */
    public List<RubricTag> everyTag(String project) {
        Map<String, RubricTag> all = new LinkedHashMap<>();
        repository.tags(project, true).forEach(t -> all.put(t.id(), t));
        configured(project).forEach(t -> all.putIfAbsent(t.id(), t));
        return List.copyOf(all.values());
    }

    /** A vote's tags as ids: each must name an active tag (by id or label); 422 naming tags[i] otherwise. */
    public List<String> resolveVoteTags(String project, List<String> given) {
        List<RubricTag> active = rubric(project);
        List<String> ids = new ArrayList<>();
        List<BadInputException.Where> errors = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String tag = given.get(i);
            RubricTag found = active.stream().filter(t -> t.matches(tag)).findFirst().orElse(null);
            if (found == null) {
                errors.add(new BadInputException.Where("tags[" + i + "]", "'" + tag + "' is not in the project's rubric"));
            } else if (!ids.contains(found.id())) {
                ids.add(found.id());
            }
        }
        if (!errors.isEmpty()) {
            throw new BadInputException("tags must be ids of the project's rubric: "
                    + String.join(", ", active.stream().map(RubricTag::id).toList()), errors);
        }
        return ids;
    }

    /** PUT: validates and stores the list (new tags without id get one from their English label). */
    @Transactional
    public List<RubricTag> replaceRubric(String project, List<RubricTag> given) {
        List<BadInputException.Where> errors = new ArrayList<>();
        if (given == null || given.isEmpty() || given.size() > MAX_TAGS) {
            throw new BadInputException("a rubric has 1 to " + MAX_TAGS + " tags",
                    List.of(new BadInputException.Where("tags", "1 to " + MAX_TAGS + " tags")));
        }
        Set<String> taken = new HashSet<>();
        given.stream().filter(t -> t != null && t.id() != null).forEach(t -> taken.add(t.id()));
        List<RubricTag> clean = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            RubricTag tag = given.get(i);
            RubricTag.Label label = tag == null || tag.label() == null ? null
                    : new RubricTag.Label(blankToNull(tag.label().en()), blankToNull(tag.label().zh()));
            if (label == null || (label.en() == null && label.zh() == null)) {
                errors.add(new BadInputException.Where("[" + i + "].label", "needs en or zh"));
                continue;
            }
            if ((label.en() != null && label.en().length() > MAX_LABEL) || (label.zh() != null && label.zh().length() > MAX_LABEL)) {
                errors.add(new BadInputException.Where("[" + i + "].label", "at most " + MAX_LABEL + " characters"));
            }
            String id = tag.id() != null ? tag.id() : freshId(label, taken);
            if (!ID.matcher(id).matches()) {
                errors.add(new BadInputException.Where("[" + i + "].id", "lower-case letters, digits and '-', at most 40"));
            } else if (!seen.add(id)) {
                errors.add(new BadInputException.Where("[" + i + "].id", "'" + id + "' appears twice"));
            }
            clean.add(new RubricTag(id, label));
        }
        if (!errors.isEmpty()) {
            throw new BadInputException("the rubric is not valid", errors);
        }
        repository.replaceTags(project, clean);
        return rubric(project);
    }

    /** The configured rubric ("zh / en" strings) as tags with ids derived from the English label. */
    List<RubricTag> configured(String project) {
        List<String> own = config.rubric().projects().get(project);
        List<String> labels = own != null && !own.isEmpty() ? own : config.rubric().defaults();
        Set<String> taken = new HashSet<>();
        List<RubricTag> tags = new ArrayList<>();
        for (String combined : labels) {
            RubricTag.Label label = parseCombined(combined);
            tags.add(new RubricTag(freshId(label, taken), label));
        }
        return tags;
    }

    static RubricTag.Label parseCombined(String combined) {
        String[] parts = combined.split(" / ", 2);
        if (parts.length == 2) {
            return new RubricTag.Label(parts[1].strip(), parts[0].strip());
        }
        boolean cjk = combined.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
        return cjk ? new RubricTag.Label(null, combined.strip()) : new RubricTag.Label(combined.strip(), null);
    }

    /** A slug of the English label (else "tag"), made unique among {@code taken}, which it joins. */
    static String freshId(RubricTag.Label label, Set<String> taken) {
        String base = label.en() == null ? "" : label.en().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (base.length() > 32) {
            base = base.substring(0, 32).replaceAll("-+$", "");
        }
        if (base.isEmpty()) {
            base = "tag";
        }
        String id = base;
        for (int n = 2; taken.contains(id); n++) {
            id = base + "-" + n;
        }
        taken.add(id);
        return id;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
