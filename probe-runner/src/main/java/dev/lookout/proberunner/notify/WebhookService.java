package dev.lookout.proberunner.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;


import dev.lookout.proberunner.notify.WebhookDtos.DeliveryResponse;
import dev.lookout.proberunner.notify.WebhookDtos.WebhookRequest;
import dev.lookout.proberunner.notify.WebhookDtos.WebhookResponse;
import dev.lookout.proberunner.service.BadInputException;
import dev.lookout.proberunner.service.Caller;
import dev.lookout.proberunner.service.NotFoundException;
import dev.lookout.proberunner.service.SecretCipher;

/** Webhooks of a project: manage, test, read the delivery log. Secrets are encrypted at rest and never served. */
@ApplicationScoped
@Transactional
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    static final int MAX_PER_PROJECT = 20;

    /** A page of the delivery log; {@code next}: the cursor of the following page, or null. */
    public record Page(List<DeliveryResponse> items, String next) {
    }

    private final WebhookRepository webhooks;
    private final DeliveryLog log;
    private final DeliveryQueue queue;
    private final WebhookUrls urls;
    private final SecretCipher cipher;

    public WebhookService(WebhookRepository webhooks, DeliveryLog log, DeliveryQueue queue, WebhookUrls urls,
            SecretCipher cipher) {
        this.webhooks = webhooks;
        this.log = log;
        this.queue = queue;
        this.urls = urls;
        this.cipher = cipher;
    }

    public WebhookResponse create(Caller caller, String project, WebhookRequest req, String user) {
        caller.requireProject(project);
        if (webhooks.count("project", project) >= MAX_PER_PROJECT) {
            throw BadInputException.field("project", "has " + MAX_PER_PROJECT + " webhooks already (the most allowed)");
        }
        Webhook w = new Webhook();
        w.id = UUID.randomUUID();
        w.project = project;
        w.createdAt = Instant.now();
        apply(w, req, user);
        String generated = req.secret() == null ? WebhookSignature.newSecret() : null;
        w.secretEnc = encrypt(generated != null ? generated : req.secret(), w.id);
        webhooks.persist(w);
        LOG.infof("webhook %s created in project %s by %s", w.id, project, user);
        WebhookResponse r = view(w, true);
        return new WebhookResponse(r.id(), r.project(), r.url(), r.events(), r.format(), r.enabled(), r.createdAt(),
                r.updatedAt(), r.updatedBy(), generated);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<WebhookResponse> list(Caller caller, String project, boolean manager) {
        caller.requireProject(project);
        return webhooks.ofProject(project).stream().map(w -> view(w, manager)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public WebhookResponse get(Caller caller, String project, UUID id, boolean manager) {
        return view(find(caller, project, id), manager);
    }

    public WebhookResponse update(Caller caller, String project, UUID id, WebhookRequest req, String user) {
        Webhook w = find(caller, project, id);
        apply(w, req, user);
        if (req.secret() != null) {
            w.secretEnc = encrypt(req.secret(), w.id);
        }
        LOG.infof("webhook %s of project %s updated by %s", w.id, project, user);
        return view(w, true);
    }

    public void delete(Caller caller, String project, UUID id) {
        webhooks.delete(find(caller, project, id));
        LOG.infof("webhook %s of project %s deleted", id, project);
    }

    /** Queues a webhook.test delivery to this webhook (enabled or not: it is sent once the webhook is enabled). */
    public UUID test(Caller caller, String project, UUID id, String user) {
        Webhook w = find(caller, project, id);
        UUID eventId = UUID.randomUUID();
        Notification n = new Notification(WebhookEventTypes.WEBHOOK_TEST, eventId, Instant.now().toString(), project,
                "Test notification from Lookout for project " + project + ", sent by " + user, null, null, null,
                null, null, Map.of("webhookId", w.id.toString()));
        return queue.enqueue(w, n);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page deliveries(Caller caller, String project, UUID id, Integer limit, UUID after) {
        Webhook w = find(caller, project, id);
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 200) {
            throw new BadInputException(400, "limit: must be between 1 and 200",
                    List.of(new BadInputException.Problem("limit", "must be between 1 and 200")));
        }
        List<DeliveryResponse> rows = log.page(w.id, size + 1, after);
        boolean more = rows.size() > size;
        List<DeliveryResponse> items = more ? rows.subList(0, size) : rows;
        return new Page(items, more ? items.get(items.size() - 1).id().toString() : null);
    }

    private Webhook find(Caller caller, String project, UUID id) {
        caller.requireProject(project);
        Webhook w = webhooks.findById(id);
        if (w == null || !w.project.equals(project)) {
            throw new NotFoundException("webhook not found: " + id);
        }
        return w;
    }

    /** Validates and copies url, events, format and enabled; nothing is stored when one is wrong. */
    private void apply(Webhook w, WebhookRequest req, String user) {
        List<BadInputException.Problem> problems = new ArrayList<>();
        try {
            urls.check(req.url());
        } catch (WebhookUrls.Refused e) {
            problems.add(new BadInputException.Problem("url", e.getMessage()));
        }
        Set<String> events = new LinkedHashSet<>();
        for (int i = 0; i < req.events().size(); i++) {
            String e = req.events().get(i);
            if (e == null || !WebhookEventTypes.SUBSCRIBABLE.contains(e)) {
                problems.add(new BadInputException.Problem("events[" + i + "]", "unknown event '" + e
                        + "'; one of " + String.join(", ", WebhookEventTypes.SUBSCRIBABLE)));
            } else {
                events.add(e);
            }
        }
        if (req.events().isEmpty()) {
            problems.add(new BadInputException.Problem("events", "name at least one of "
                    + String.join(", ", WebhookEventTypes.SUBSCRIBABLE)));
        }
        String format = req.format() == null ? Webhook.JSON : req.format().toLowerCase(Locale.ROOT);
        if (!format.equals(Webhook.JSON) && !format.equals(Webhook.SLACK)) {
            problems.add(new BadInputException.Problem("format", "must be json or slack"));
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(422, problems.stream().map(p -> p.field() + ": " + p.message())
                    .reduce((a, b) -> a + "; " + b).orElse("invalid webhook"), problems);
        }
        w.url = req.url().trim();
        w.events = new ArrayList<>(events);
        w.format = format;
        w.enabled = req.enabled() == null || req.enabled();
        w.updatedAt = Instant.now();
        w.updatedBy = user;
    }

    private String encrypt(String secret, UUID webhookId) {
        try {
            return cipher.encrypt(secret, webhookId);
        } catch (BadInputException e) {
            throw BadInputException.field("secret", "cannot be stored: this server has no secrets key configured "
                    + "(LOOKOUT_SECRETS_KEY)");
        }
    }

    static WebhookResponse view(Webhook w, boolean manager) {
        List<String> events = List.copyOf(w.events);
        return new WebhookResponse(w.id, w.project, manager ? w.url : WebhookUrls.origin(w.url), events, w.format,
                w.enabled, w.createdAt, w.updatedAt, w.updatedBy, null);
    }
}
