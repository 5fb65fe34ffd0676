package dev.lookout.ingest.repository;

import dev.lookout.ingest.entity.Alarm;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class AlarmRepository implements PanacheRepositoryBase<Alarm, UUID> {

    public List<Alarm> listByRun(UUID runId) {
        return list("runId", Sort.by("fromStep").and("createdAt"), runId);
    }

    /** Up to limit alarms of the run after (fromStep, createdAt, id) in that order (keyset paging; null: from the start). */
    public List<Alarm> page(UUID runId, Long afterFrom, java.time.Instant afterCreated, UUID afterId, int limit) {
        if (afterFrom == null) {
            return find("runId", Sort.by("fromStep").and("createdAt").and("id"), runId).page(0, limit).list();
        }
        return find("runId = :run and (fromStep > :from or (fromStep = :from and (createdAt > :created "
                        + "or (createdAt = :created and id > :id))))", Sort.by("fromStep").and("createdAt").and("id"),
                java.util.Map.of("run", runId, "from", afterFrom, "created", afterCreated, "id", afterId)).page(0, limit).list();
    }

    /** Inserts unless an alarm with the same natural key exists; true when this call created it. */
    public boolean insertIfAbsent(Alarm a) {
        return getEntityManager().unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into ingest.alarms (id, run_id, kind, severity, series, from_step, to_step, message, evidence, created_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                    on conflict (run_id, kind, series, from_step) do nothing
                    returning id""")) {
                ps.setObject(1, a.id);
                ps.setObject(2, a.runId);
                ps.setString(3, a.kind);
                ps.setString(4, a.severity);
                ps.setString(5, a.series);
                ps.setLong(6, a.fromStep);
                ps.setLong(7, a.toStep);
                ps.setString(8, a.message);
                ps.setString(9, a.evidence);
                ps.setTimestamp(10, Timestamp.from(a.createdAt));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
