package dev.lookout.gateway.rest;

import dev.lookout.gateway.service.RunNotFoundException;
import dev.lookout.gateway.service.TooManyLiveStreamsException;
import dev.lookout.gateway.service.UpstreamStatusException;
import dev.lookout.gateway.service.UpstreamUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem+json for the gateway's own endpoints; no class names, no stack traces. */
public class ExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);
    static final String PROBLEM = "application/problem+json";

    @ServerExceptionMapper
    public Response notFound(RunNotFoundException e, UriInfo uri) {
        return problem(404, "Not Found", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response tooManyStreams(TooManyLiveStreamsException e, UriInfo uri) {
        return Response.fromResponse(problem(429, "Too Many Requests", e.getMessage(), uri))
                .header("Retry-After", "30").build();
    }

    @ServerExceptionMapper
    public Response unavailable(UpstreamUnavailableException e, UriInfo uri) {
        return problem(502, "Bad Gateway",
                e.upstream().serviceName() + " did not answer; try again shortly.", uri);
    }

    @ServerExceptionMapper
    public Response refused(UpstreamStatusException e, UriInfo uri) {
        return problem(e.status(), e.status() == 401 ? "Unauthorized" : "Forbidden", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return problem(403, "Forbidden", "Your role does not allow this.", uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return problem(status, title, status == 404 ? "Nothing is here." : title + ".", uri);
    }

    @ServerExceptionMapper(priority = 9000)
    public Response unexpected(RuntimeException e, UriInfo uri) {
        if (e instanceof io.quarkus.security.AuthenticationFailedException
                || e instanceof io.quarkus.security.UnauthorizedException
                || e instanceof io.quarkus.security.ForbiddenException) {
            int status = e instanceof io.quarkus.security.ForbiddenException ? 403 : 401;
            return problem(status, status == 403 ? "Forbidden" : "Unauthorized",
                    status == 403 ? "Your role does not allow this." : "Sign in first.", uri);
        }
        LOG.error("unexpected failure", e);
        return problem(500, "Internal Server Error", "Something went wrong on our side; it has been logged.", uri);
    }

    static Response problem(int status, String title, String detail, UriInfo uri) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (uri != null) {
            body.put("instance", uri.getPath());
        }
        return Response.status(status).type(PROBLEM).entity(body).build();
    }
}
