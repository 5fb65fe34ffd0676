package dev.lookout.gateway.rest;

import dev.lookout.gateway.service.RunNotFoundException;
import dev.lookout.platform.Problems;
import dev.lookout.gateway.service.TooManyLiveStreamsException;
import dev.lookout.gateway.service.UpstreamStatusException;
import dev.lookout.gateway.service.UpstreamUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;


/** RFC 9457 problem+json for the gateway's own endpoints; no class names, no stack traces. */
public class ExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);
    static final String PROBLEM = Problems.MEDIA_TYPE;

    @ServerExceptionMapper
    public Response notFound(RunNotFoundException e, UriInfo uri) {
        return problem(404, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response tooManyStreams(TooManyLiveStreamsException e, UriInfo uri) {
        return Response.fromResponse(problem(429, e.getMessage(), uri))
                .header("Retry-After", "30").build();
    }

    @ServerExceptionMapper
    public Response unavailable(UpstreamUnavailableException e, UriInfo uri) {
        return problem(502, e.upstream().serviceName() + " did not answer; try again shortly.", uri);
    }

    @ServerExceptionMapper
    public Response refused(UpstreamStatusException e, UriInfo uri) {
        return problem(e.status(), e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return problem(403, "Your role does not allow this.", uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        return problem(status, status == 404 ? "Nothing is here." : Problems.title(status) + ".", uri);
    }

    @ServerExceptionMapper(priority = 9000)
    public Response unexpected(RuntimeException e, UriInfo uri) {
        if (e instanceof io.quarkus.security.AuthenticationFailedException
                || e instanceof io.quarkus.security.UnauthorizedException
                || e instanceof io.quarkus.security.ForbiddenException) {
            int status = e instanceof io.quarkus.security.ForbiddenException ? 403 : 401;
            return problem(status, status == 403 ? "Your role does not allow this." : "Sign in first.", uri);
        }
        LOG.error("unexpected failure", e);
        return problem(500, "Something went wrong on our side; it has been logged.", uri);
    }

    static Response problem(int status, String detail, UriInfo uri) {
        String instance = uri == null ? null : uri.getRequestUri().getRawPath();
        return Response.status(status).type(PROBLEM).entity(Problems.body(status, detail, instance, null)).build();
    }
}
