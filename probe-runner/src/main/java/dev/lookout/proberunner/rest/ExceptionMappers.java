package dev.lookout.proberunner.rest;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.lookout.platform.Problems;
import dev.lookout.platform.Problems.FieldError;
import dev.lookout.proberunner.service.BadInputException;
import dev.lookout.proberunner.service.ConflictException;
import dev.lookout.proberunner.service.NotFoundException;
import dev.lookout.proberunner.service.QuotaExceededException;
import io.quarkus.security.ForbiddenException;

/** Every error body is RFC 9457 application/problem+json; never a stack trace or a class name. */
public class ExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);
    public static final String PROBLEM_JSON = Problems.MEDIA_TYPE;

    static Response problem(int status, String detail, UriInfo uri, List<FieldError> errors) {
        String instance = uri == null ? null : uri.getRequestUri().getRawPath();
        return Response.status(status).type(PROBLEM_JSON).entity(Problems.body(status, detail, instance, errors))
                .build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(404, e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e, UriInfo uri) {
        return problem(409, e.getMessage(), uri, null);
    }

    /** 429 with Retry-After (seconds) when waiting helps, 422 when the run alone exceeds the quota. */
    @ServerExceptionMapper
    public Response quota(QuotaExceededException e, UriInfo uri) {
        boolean later = e.status() == 429;
        Response r = problem(e.status(), e.getMessage(), uri, null);
        return later ? Response.fromResponse(r).header("Retry-After", e.retryAfterSeconds()).build() : r;
    }

    @ServerExceptionMapper
    public Response badInput(BadInputException e, UriInfo uri) {
        List<FieldError> errors = e.problems().stream().map(p -> FieldError.field(p.field(), p.message())).toList();
        return problem(e.status(), e.getMessage(), uri, errors);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(FieldError.field(fieldPath(v.getPropertyPath().toString()), v.getMessage()));
        }
        errors.sort(java.util.Comparator.comparing(FieldError::field, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        String detail = errors.isEmpty() ? "The request is invalid"
                : "The request is invalid: " + errors.stream().map(m -> m.field() + " " + m.message())
                        .reduce((a, b) -> a + "; " + b).orElse("");
        return problem(400, detail, uri, errors);
    }

    /** "create.request.probes[0].id" → "probes[0].id" (drop the method and parameter names). */
    static String fieldPath(String path) {
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : parts[parts.length - 1];
    }

    @ServerExceptionMapper
    public Response jsonParse(JsonParseException e, UriInfo uri) {
        return jsonProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return jsonProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return jsonProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        return jsonProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e, UriInfo uri) {
        return jsonProblem(e, uri);
    }

    private static Response jsonProblem(JsonProcessingException e, UriInfo uri) {
        String field = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            }
            field = sb.toString();
        }
        var loc = e.getLocation();
        String message = cleanMessage(e);
        List<FieldError> errors = List.of(new FieldError(field, loc == null ? null : (long) loc.getLineNr(),
                loc == null ? null : (long) loc.getColumnNr(), null, null, message));
        String detail = "The JSON body could not be read"
                + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() : "")
                + (field != null && !field.isEmpty() ? " (field " + field + ")" : "") + ": " + message;
        return problem(400, detail, uri, errors);
    }

    /** Jackson's message without source locations, class names or package names. */
    public static String cleanMessage(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (msg == null) {
            return "malformed input";
        }
        msg = msg.replaceAll("`?(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)`?", "$1")
                .replaceAll("\\(class [^)]*\\)", "").replaceAll("\\s+", " ").trim();
        int nl = msg.indexOf(" at [Source");
        return nl > 0 ? msg.substring(0, nl) : msg;
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
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return jsonProblem(json, uri);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "No resource at this path";
            case 405 -> "This method is not allowed here";
            case 406 -> "The requested media type is not available";
            case 415 -> "Unsupported content type (use application/json" +
                    (uri != null && uri.getPath().startsWith("/api/suites") ? " or application/yaml)" : ")");
            default -> status >= 500 ? "The server failed to handle the request" : Problems.title(status);
        };
        return problem(status, detail, uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.error("unexpected error on " + (uri == null ? "?" : uri.getPath()), e);
        return problem(500, "The server failed to handle the request; the error is logged",
                uri, null);
    }
}
