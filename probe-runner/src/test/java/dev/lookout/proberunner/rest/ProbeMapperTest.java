package dev.lookout.proberunner.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.proberunner.domain.Probe;
import dev.lookout.proberunner.domain.RunTarget;
import dev.lookout.proberunner.service.CanonicalJson;

/**
 * The stored forms stay what they were when the HTTP records were stored directly: a suite version's content hash
 * is taken over the probes' canonical JSON, and older probe runs' targets must still read.
 */
class ProbeMapperTest {

    @Test
    void shouldKeepTheCanonicalJsonAndHashOfSuiteProbes() {
        List<ProbeDto> dtos = List.of(
                new ProbeDto("one", List.of(new ChatMessage("system", "be brief"), new ChatMessage("user", "hi")),
                        List.of("smoke"), List.of(new Check("contains", "hello"), new Check("min-length", 5)),
                        "hello there"),
                new ProbeDto("two", List.of(new ChatMessage("user", "first")), null, null, null,
                        List.of("second")));
        List<Probe> probes = ProbeMapper.toDomain(dtos);
        assertEquals(CanonicalJson.write(dtos), CanonicalJson.write(probes));
        assertEquals(CanonicalJson.sha256(CanonicalJson.write(dtos)),
                CanonicalJson.sha256(CanonicalJson.write(probes)));
        assertFalse(CanonicalJson.write(probes).contains("followUps\":null"), "an absent followUps stays absent");
        assertEquals(dtos, probes.stream().map(ProbeMapper::toDto).toList());
    }

    @Test
    void shouldReadTargetsStoredBeforeTheyWereTyped() throws Exception {
        ObjectMapper json = new ObjectMapper();
        // as written from maps: a null label, the role, an adapter, and a field this version does not know
        List<RunTarget> targets = List.of(json.readValue("""
                [{"endpoint": "e", "endpointId": "6f1c1c9e-8f0e-4f7e-9d7c-0c1a2b3c4d5e", "model": "m", "label": null,
                  "role": "candidate", "adapter": {"path": "/adapters/a"}, "later": 1},
                 {"endpoint": "e", "model": "base", "label": "baseline"}]
                """, RunTarget[].class));
        assertEquals(2, targets.size());
        assertEquals("/adapters/a", targets.get(0).adapterPath());
        assertEquals("candidate", targets.get(0).role());
        assertNull(targets.get(0).label());
        assertNull(targets.get(1).adapterPath());
        assertNull(targets.get(1).endpointId());
        // written back without nulls, so native SQL reading targets -> i ->> 'role' sees the same keys
        assertEquals(Map.of("endpoint", "e", "model", "base", "label", "baseline"),
                json.convertValue(targets.get(1), Map.class));
    }
}
