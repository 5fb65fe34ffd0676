package dev.lookout.proberunner.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.entity.OutboxEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {
}
