package dev.lookout.proberunner.notify;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class WebhookRepository implements PanacheRepositoryBase<Webhook, UUID> {

    public List<Webhook> ofProject(String project) {
        return list("project = ?1 order by createdAt, id", project);
    }

    /** Enabled webhooks of the project subscribed to {@code eventType}. */
    @SuppressWarnings("unchecked")
    public List<Webhook> subscribed(String project, String eventType) {
        return getEntityManager().createNativeQuery("""
                select * from webhooks where project = :p and enabled and jsonb_exists(events, :t)
                order by created_at, id
                """, Webhook.class).setParameter("p", project).setParameter("t", eventType).getResultList();
    }
}
