package dev.lookout.proberunner.rest;

import java.util.List;

import dev.lookout.proberunner.domain.Message;
import dev.lookout.proberunner.domain.Probe;
import dev.lookout.proberunner.domain.ProbeCheck;

/** Suite probes between their request/response form ({@link ProbeDto}) and the stored one ({@link Probe}). */
final class ProbeMapper {

    private ProbeMapper() {
    }

    static Probe toDomain(ProbeDto p) {
        return new Probe(p.id(), p.messages().stream().map(m -> new Message(m.role(), m.content())).toList(),
                p.tags(), p.checks() == null ? null : p.checks().stream().map(c -> new ProbeCheck(c.type(), c.value()))
                        .toList(),
                p.reference(), p.followUps());
    }

    static List<Probe> toDomain(List<ProbeDto> probes) {
        return probes.stream().map(ProbeMapper::toDomain).toList();
    }

    static ProbeDto toDto(Probe p) {
        return new ProbeDto(p.id(), p.messages() == null ? null : p.messages().stream().map(ProbeMapper::message)
                .toList(), p.tags(), p.checks() == null ? null : p.checks().stream()
                        .map(c -> new Check(c.type(), c.value())).toList(),
                p.reference(), p.followUps());
    }

    static ChatMessage message(Message m) {
        return new ChatMessage(m.role(), m.content());
    }
}
