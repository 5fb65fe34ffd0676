package dev.lookout.ingest.rest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.lookout.ingest.entity.Alarm;

import java.time.Instant;
import java.util.UUID;

public record AlarmResponse(UUID id, String kind, String severity, String series, long fromStep, long toStep,
                            String message, Instant createdAt,
                            @JsonRawValue @Schema(description = "[{step, value}] points behind the alarm") String evidence) {

    static AlarmResponse from(Alarm a) {
        return new AlarmResponse(a.id, a.kind, a.severity, a.series, a.fromStep, a.toStep, a.message, a.createdAt,
                a.evidence == null || a.evidence.isBlank() ? "[]" : a.evidence);
    }
}
