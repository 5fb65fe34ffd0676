package dev.lookout.ingest.repository;

import dev.lookout.ingest.entity.AlarmThresholdOverrides;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class AlarmThresholdRepository implements PanacheRepositoryBase<AlarmThresholdOverrides, String> {
}
