package dev.lookout.proberunner.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

import dev.lookout.proberunner.service.BadInputException;
import dev.lookout.proberunner.service.ConflictException;
import dev.lookout.proberunner.service.NotFoundException;
import dev.lookout.proberunner.service.QuotaExceededException;
import io.quarkus.security.ForbiddenException;

/** Every error body is RFC 9457 application/problem+json; never a stack trace or a class name. */
public class ExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    static Response problem(int status, String title, String detail, UriInfo uri, List<Map<String, Object>> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (uri != null) {
            body.put("instance", uri.getPath());
        }
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }

    private static Map<String, Object> entry(String key, String where, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, where);
        m.put("message", message);
        return m;
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(404, "Not Found", e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e, UriInfo uri) {
        return problem(409, "Conflict", e.getMessage(), uri, null);
    }

    /** 429 with Retry-After (seconds) when waiting helps, 422 when the run alone exceeds the quota. */
    @ServerExceptionMapper
    public Response quota(QuotaExceededException e, UriInfo uri) {
        boolean later = e.status() == 429;
        Response r = problem(e.status(), later ? "Too Many Requests" : "Unprocessable Content", e.getMessage(), uri,
                null);
        return later ? Response.fromResponse(r).header("Retry-After", e.retryAfterSeconds()).build() : r;
    }

    @ServerExceptionMapper
    public Response badInput(BadInputException e, UriInfo uri) {
        List<Map<String, Object>> errors = new ArrayList<>();
        e.problems().forEach(p -> errors.add(entry("field", p.field(), p.message())));
        String title = switch (e.status()) {
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            default -> "Unprocessable Content";
        };
        return problem(e.status(), title, e.getMessage(), uri, errors);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(entry("field", fieldPath(v.getPropertyPath().toString()), v.getMessage()));
        }
        errors.sort((a, b) -> String.valueOf(a.get("field")).compareTo(String.valueOf(b.get("field"))));
        String detail = errors.isEmpty() ? "The request is invalid"
                : "The request is invalid: " + errors.stream().map(m -> m.get("field") + " " + m.get("message"))
                        .reduce((a, b) -> a + "; " + b).orElse("");
        return problem(400, "Bad Request", detail, uri, errors);
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
        List<Map<String, Object>> errors = new ArrayList<>();
        Map<String, Object> where = new LinkedHashMap<>();
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
            where.put("field", field);
        }
        if (e.getLocation() != null) {
            where.put("line", e.getLocation().getLineNr());
            where.put("column", e.getLocation().getColumnNr());
        }
        String message = cleanMessage(e);
        where.put("message", message);
        errors.add(where);
        String detail = "The JSON body could not be read"
                + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() : "")
                + (field != null && !field.isEmpty() ? " (field " + field + ")" : "") + ": " + message;
        return problem(400, "Bad Request", detail, uri, errors);
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
        return AuthProblems.unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(io.quarkus.security.AuthenticationFailedException e, UriInfo uri) {
        return AuthProblems.unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(403, "Forbidden", "Your role does not allow this action", uri, null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return jsonProblem(json, uri);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "No resource at this path";
            case 405 -> "This method is not allowed here";
            case 406 -> "The requested media type is not available";
            case 415 -> "Unsupported content type (use application/json" +
                    (uri != null && uri.getPath().startsWith("/api/suites") ? " or application/yaml)" : ")");
            default -> status >= 500 ? "The server failed to handle the request" : title;
        };
        return problem(status, title, detail, uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.error("unexpected error on " + (uri == null ? "?" : uri.getPath()), e);
        return problem(500, "Internal Server Error", "The server failed to handle the request; the error is logged",
                uri, null);
    }
}
