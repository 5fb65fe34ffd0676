package dev.lookout.ingest.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.lookout.ingest.service.BadInputException;
import dev.lookout.ingest.service.BodyTooSlowException;
import dev.lookout.ingest.service.ConflictException;
import dev.lookout.ingest.service.NotFoundException;
import dev.lookout.ingest.service.RunExistsException;
import dev.lookout.ingest.service.UploadTooLargeException;
import dev.lookout.ingest.service.UpstreamUnavailableException;
import dev.lookout.platform.Problems;
import dev.lookout.platform.Problems.FieldError;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Every error as application/problem+json; never a class name or a stack trace. */
public class ExceptionMappers {

    public static final String PROBLEM_JSON = Problems.MEDIA_TYPE;
    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(404, e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e, UriInfo uri) {
        return problem(409, e.getMessage(), uri, null);
    }

    /** A taken run name: the problem carries the existing run's {@code id}, and Location points at it. */
    @ServerExceptionMapper
    public Response runExists(RunExistsException e, UriInfo uri) {
        Map<String, Object> body = Problems.body(409, e.getMessage(), instance(uri), null);
        body.put("id", e.runId().toString());
        return Response.status(409).type(PROBLEM_JSON).header("Location", "/api/runs/" + e.runId()).entity(body).build();
    }

    @ServerExceptionMapper
    public Response uniqueViolation(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        return problem(409, "the resource already exists (it was created concurrently)", uri, null);
    }

    @ServerExceptionMapper
    public Response badInput(BadInputException e, UriInfo uri) {
        List<FieldError> errors = e.problems().stream()
                .map(p -> new FieldError(p.field(), p.line(), null, p.index(), p.offset(), p.message())).toList();
        return problem(e.status(), e.getMessage(), uri, errors);
    }

    /** probe-runner could not be asked (down, slow, failing): the request is refused, nothing was stored. */
    @ServerExceptionMapper
    public Response upstreamUnavailable(UpstreamUnavailableException e, UriInfo uri) {
        return Response.fromResponse(problem(503,
                e.getMessage() + "; nothing was stored", uri, null)).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response tooLarge(UploadTooLargeException e, UriInfo uri) {
        return problem(413, e.getMessage() + "; nothing was stored", uri, null);
    }

    /** The body stalled or was too slow: the rest of it is not read, so the connection is closed after the answer. */
    @ServerExceptionMapper
    public Response tooSlow(BodyTooSlowException e, UriInfo uri) {
        LOG.infof("request body of %s cut: %s", uri == null ? "?" : uri.getRequestUri().getRawPath(), e.getMessage());
        return Response.fromResponse(problem(408, e.getMessage()
                + "; nothing was stored", uri, null)).header("Connection", "close").build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response violation(ResteasyReactiveViolationException e, UriInfo uri) {
        return violations(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .forEach(v -> errors.add(FieldError.field(fieldPath(v), v.getMessage())));
        String detail = errors.isEmpty() ? "the request is invalid"
                : errors.get(0).field() + " " + errors.get(0).message() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
        return problem(400, detail, uri, errors);
    }

    /** "create.req.baseline.model" → "baseline.model" */
    private static String fieldPath(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : parts[parts.length - 1];
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonParse(com.fasterxml.jackson.core.JsonParseException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        String field = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            field = sb.toString();
        }
        JsonLocation loc = e.getLocation();
        Long line = loc != null && loc.getLineNr() > 0 ? (long) loc.getLineNr() : null;
        Integer index = pointIndex(e);
        String message = e instanceof JsonMappingException ? "wrong type or unreadable value" : "malformed JSON";
        Long column = loc != null && loc.getColumnNr() > 0 ? (long) loc.getColumnNr() : null;
        errors.add(new FieldError(field, line, column, index, null, message));
        String where = field != null ? " at " + field : "";
        String at = loc != null && loc.getLineNr() > 0 ? " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")" : "";
        return problem(400, "the JSON body could not be read: " + message + where + at, uri, errors);
    }

    private static Integer pointIndex(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && m.getPath().size() >= 2
                && "points".equals(m.getPath().get(0).getFieldName()) && m.getPath().get(1).getIndex() >= 0) {
            return m.getPath().get(1).getIndex();
        }
        return null;
    }

    /** No token on a protected resource (or one refused late): 401 with the bearer challenge. */
    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return AuthRefusals.PROBLEMS.unauthorized(uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return AuthRefusals.PROBLEMS.unauthorized(uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return AuthRefusals.PROBLEMS.forbidden(uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return json(jpe, uri);
        }
        if (status >= 500) {
            LOG.error("request failed", e);
            return problem(status, "the request could not be completed", uri, null);
        }
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed here";
            case 406 -> "the requested media type is not available";
            case 415 -> "unsupported content type";
            default -> Problems.title(status).toLowerCase(java.util.Locale.ROOT);
        };
        return problem(status, detail, uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.error("unexpected error", e);
        return problem(500, "the request could not be completed", uri, null);
    }

    static Response problem(int status, String detail, UriInfo uri, List<FieldError> errors) {
        return Response.status(status).type(PROBLEM_JSON).entity(Problems.body(status, detail, instance(uri), errors))
                .build();
    }

    private static String instance(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
