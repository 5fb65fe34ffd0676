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
}
