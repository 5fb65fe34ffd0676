package dev.lookout.ingest.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.platform.Roles;
import dev.lookout.ingest.service.AlarmThresholdService;
import dev.lookout.ingest.service.AlarmThresholds;
import dev.lookout.ingest.service.BadInputException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's alarm thresholds (the gateway routes {@code /api/projects/*}{@code /alarm-thresholds} here). The
 * body of PUT and the {@code thresholds} of the answer are objects of detector groups, each an object of knobs:
 * {@code {"spike": {"window": 30, "threshold": 4.5}, "plateau": {"enabled": false}}}. PUT replaces what the
 * project changed: knobs it does not name follow the defaults again ({@code {}} resets everything).
 */
@Path("/api/projects/{key}/alarm-thresholds")
@Produces(MediaType.APPLICATION_JSON)
public class AlarmThresholdResource {

    private final AlarmThresholdService service;
    private final SecurityIdentity identity;

    public AlarmThresholdResource(AlarmThresholdService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE})
    public ObjectNode get(@PathParam("key") String project) {
        return answer(service.get(project));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ENGINEER, Roles.ADMIN})
    public ObjectNode put(@PathParam("key") String project, JsonNode body) {
        service.requireVisible(project);
        Map<String, Object> overrides = overrides(body);
        return answer(service.put(project, overrides, identity.getPrincipal().getName()));
    }

    /** The body's knobs by path; JSON types are checked here, ranges by the service. */
    static Map<String, Object> overrides(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadInputException(422, "the body must be a JSON object of detector groups, e.g. {\"spike\": {\"window\": 30}}",
                    List.of(BadInputException.Problem.atField("body", "must be a JSON object")));
        }
        List<String> groups = AlarmThresholds.groups();
        Map<String, Object> out = new LinkedHashMap<>();
        List<BadInputException.Problem> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> group : body.properties()) {
            if (!groups.contains(group.getKey())) {
                problems.add(BadInputException.Problem.atField(group.getKey(), "unknown detector; known: " + String.join(", ", groups)));
                continue;
            }
            if (group.getValue().isNull()) {
                continue;
            }
            if (!group.getValue().isObject()) {
                problems.add(BadInputException.Problem.atField(group.getKey(), "must be an object of thresholds"));
                continue;
            }
            for (Map.Entry<String, JsonNode> knob : group.getValue().properties()) {
                String path = group.getKey() + "." + knob.getKey();
                JsonNode v = knob.getValue();
                AlarmThresholds.Knob k = AlarmThresholds.knob(path);
                if (k == null) {
                    problems.add(BadInputException.Problem.atField(path, "unknown alarm threshold"));
                } else if (!v.isNull()) {
                    Object value = switch (k.type()) {
                        case BOOLEAN -> v.isBoolean() ? v.booleanValue() : null;
                        case INT, LONG -> v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : null;
                        case DOUBLE -> v.isNumber() ? v.doubleValue() : null;
                    };
                    if (value == null) {
                        problems.add(BadInputException.Problem.atField(path, switch (k.type()) {
                            case BOOLEAN -> "must be true or false";
                            case INT, LONG -> "must be a whole number";
                            case DOUBLE -> "must be a number";
                        }));
                    } else {
                        out.put(path, value);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            var first = problems.get(0);
            throw new BadInputException(422, first.field() + " " + first.message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "") + "; nothing was changed", problems);
        }
        return out;
    }

    private static ObjectNode answer(AlarmThresholdService.ProjectThresholds t) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("project", t.project());
        root.set("thresholds", grouped(t.thresholds().values()));
        root.set("overrides", grouped(t.thresholds().overrides()));
        if (t.updatedAt() == null) {
            root.putNull("updatedAt");
        } else {
            root.put("updatedAt", t.updatedAt().toString());
        }
        if (t.updatedBy() == null) {
            root.putNull("updatedBy");
        } else {
            root.put("updatedBy", t.updatedBy());
        }
        return root;
    }

    private static ObjectNode grouped(Map<String, Object> byPath) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (AlarmThresholds.Knob k : AlarmThresholds.KNOBS) {
            if (!byPath.containsKey(k.path())) {
                continue;
            }
            ObjectNode g = out.has(k.group()) ? (ObjectNode) out.get(k.group()) : out.putObject(k.group());
            Object v = byPath.get(k.path());
            if (v instanceof Boolean b) {
                g.put(k.name(), b);
            } else if (v instanceof Long l) {
                g.put(k.name(), l);
            } else {
                g.put(k.name(), ((Number) v).doubleValue());
            }
        }
        return out;
    }
}
