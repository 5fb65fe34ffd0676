package dev.lookout.ingest.service;

import dev.lookout.ingest.entity.Alarm;
import dev.lookout.ingest.repository.AlarmRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AlarmQueries {

    private final AlarmRepository alarms;
    private final RunService runs;

    public AlarmQueries(AlarmRepository alarms, RunService runs) {
        this.alarms = alarms;
        this.runs = runs;
    }

    public List<Alarm> list(UUID runId) {
        runs.require(runId);
        return alarms.listByRun(runId);
    }

    /** One page of the run's alarms by (fromStep, createdAt, id); after is the previous page's next cursor or null. */
    public Page<Alarm> page(UUID runId, String after, int limit) {
        runs.require(runId);
        List<Alarm> fetched;
        if (after == null || after.isBlank()) {
            fetched = alarms.page(runId, null, null, null, limit + 1);
        } else {
            String[] f = Cursors.decode(after, "alarm", 3);
            fetched = alarms.page(runId, Cursors.longField(f[0]), Cursors.instantField(f[1]), Cursors.uuidField(f[2]), limit + 1);
        }
        return Page.of(fetched, limit, a -> Cursors.encode("alarm", a.fromStep, a.createdAt, a.id));
    }
}
