package dev.lookout.review.rest;

import dev.lookout.platform.Problems;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * 401 and 403 as application/problem+json, also when Quarkus refuses a token before any resource runs (missing,
 * expired, wrongly signed, or minted for another audience): that refusal never reaches the JAX-RS exception mappers,
 * so a route failure handler answers it. 401 keeps {@code WWW-Authenticate: Bearer}.
 */
@ApplicationScoped
public class AuthProblems {

    static final String UNAUTHORIZED_DETAIL = "a valid access token for Lookout is required:"
            + " send 'Authorization: Bearer <token>' (not expired, audience 'lookout')";
    static final String FORBIDDEN_DETAIL = "your role does not allow this request";

    private final ObjectMapper mapper;

    public AuthProblems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route().order(-1000).failureHandler(this::refused);
    }

    /** @param uri the request, or null before JAX-RS (the problem then names no instance) */
    static Response unauthorized(UriInfo uri) {
        return Response.fromResponse(ExceptionMappers.problem(401,
                UNAUTHORIZED_DETAIL, uri, null)).header("WWW-Authenticate", "Bearer").build();
    }

    void refused(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        boolean unauthenticated = failure instanceof AuthenticationFailedException
                || failure instanceof UnauthorizedException;
        if ((!unauthenticated && !(failure instanceof ForbiddenException)) || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = unauthenticated ? 401 : 403;
        Response problem = unauthenticated ? unauthorized(null)
                : ExceptionMappers.problem(403, FORBIDDEN_DETAIL, null, null);
        String body;
        try {
            body = mapper.writeValueAsString(problem.getEntity());
        } catch (JsonProcessingException e) {
            ctx.fail(e);
            return;
        }
        if (unauthenticated) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problems.MEDIA_TYPE).end(body);
    }
}
