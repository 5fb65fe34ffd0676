package dev.lookout.review.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.lookout.platform.Problems;
import dev.lookout.platform.Problems.FieldError;
import dev.lookout.review.client.ProbeRunnerUnavailableException;
import dev.lookout.review.service.BadInputException;
import dev.lookout.review.service.ConflictException;
import dev.lookout.review.service.NotFoundException;
import io.quarkus.security.ForbiddenException;
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

/** Every error as application/problem+json; never a class name or stack trace. */
public class ExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(404, e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response methodNotAllowed(MethodNotAllowedException e, UriInfo uri) {
        Response problem = problem(405, e.getMessage(), uri, null);
        return Response.fromResponse(problem).header("Allow", e.allow()).build();
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e, UriInfo uri) {
        return problem(409, e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response badInput(BadInputException e, UriInfo uri) {
        List<FieldError> errors = e.errors().stream().map(w -> FieldError.field(w.field(), w.message())).toList();
        return problem(422, e.getMessage(), uri, errors);
    }

    @ServerExceptionMapper
    public Response upstream(ProbeRunnerUnavailableException e, UriInfo uri) {
        LOG.warnf("probe-runner call failed: %s", e.getMessage());
        return Response.fromResponse(problem(503, "probe-runner is not available right now; try again later", uri,
                null)).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(FieldError.field(fieldPath(v.getPropertyPath().toString()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field, Comparator.nullsFirst(Comparator.naturalOrder())));
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return problem(400, detail, uri, errors);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        JsonLocation at = e.getLocation();
        Long line = at == null ? null : (long) at.getLineNr();
        Long column = at == null ? null : (long) at.getColumnNr();
        if (e instanceof JsonMappingException m && !(e instanceof JsonParseException) && !m.getPath().isEmpty()) {
            String field = jsonPath(m.getPath());
            return problem(400, "field '" + field + "' has a wrong type or value", uri,
                    List.of(new FieldError(field, line, column, null, null, "wrong type or value")));
        }
        String where = line == null ? "" : " at line " + line + ", column " + column;
        return problem(400, "the body is not valid JSON" + where, uri,
                List.of(FieldError.at(line, column, "malformed JSON")));
    }

    /** Same type as Quarkus' built-in mapper, so that ours (problem+json with the field) wins. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    /** No token on a protected resource (or one refused late): 401 with the bearer challenge. */
    @ServerExceptionMapper
    public Response unauthorized(io.quarkus.security.UnauthorizedException e, UriInfo uri) {
        return AuthRefusals.PROBLEMS.unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(io.quarkus.security.AuthenticationFailedException e, UriInfo uri) {
        return AuthRefusals.PROBLEMS.unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return AuthRefusals.PROBLEMS.forbidden(uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException parse) { // Quarkus REST wraps body parse errors
                return json(parse, uri);
            }
        }
        if (status >= 500) {
            LOG.error("request failed", e);
            return problem(500, "something went wrong on our side", uri, null);
        }
        String detail = status == 404 ? "not found" : Problems.title(status);
        return problem(status, detail, uri, null);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.error("unexpected error", e);
        return problem(500, "something went wrong on our side", uri, null);
    }

    static Response problem(int status, String detail, UriInfo uri, List<FieldError> errors) {
        String instance = uri == null ? null : uri.getRequestUri().getRawPath();
        return Response.status(status).type(Problems.MEDIA_TYPE)
                .entity(Problems.body(status, detail, instance, errors)).build();
    }

    /** "create.request.project" → "project"; "next.project" → "project". */
    private static String fieldPath(String path) {
        String[] parts = path.split("\\.");
        if (parts.length <= 1) {
            return path;
        }
        int from = parts.length > 2 ? 2 : 1;
        return String.join(".", java.util.Arrays.copyOfRange(parts, from, parts.length));
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
