package dev.lookout.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * 401 and 403 as application/problem+json ({@link Problems}), also when Quarkus refuses a token before any resource
 * runs (missing, expired, wrongly signed, or minted for another audience): that refusal never reaches the JAX-RS
 * exception mappers, so a route failure handler answers it. 401 keeps {@code WWW-Authenticate: Bearer}.
 *
 * <p>Each service holds one instance with its own wording, registers it on its Vert.x router at startup
 * ({@link #register}) and answers from its exception mappers with {@link #unauthorized} and {@link #forbidden}.
 */
public final class AuthProblems {

    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    public static final String CHALLENGE = "Bearer";
    /** Ahead of the route handlers Quarkus adds, so a refused token is answered here first. */
    static final int ORDER = -1000;

    private final String unauthorizedDetail;
    private final String forbiddenDetail;

    /**
     * @param unauthorizedDetail the 401 {@code detail}: what a valid token looks like
     * @param forbiddenDetail the 403 {@code detail}
     */
    public AuthProblems(String unauthorizedDetail, String forbiddenDetail) {
        this.unauthorizedDetail = unauthorizedDetail;
        this.forbiddenDetail = forbiddenDetail;
    }

    /** Answers refused tokens and roles on every route of {@code router}, with bodies written by {@code mapper}. */
    public void register(Router router, ObjectMapper mapper) {
        router.route().order(ORDER).failureHandler(ctx -> refused(ctx, mapper));
    }

    /** @param uri the request, or null before JAX-RS (the problem then names no instance) */
    public Response unauthorized(UriInfo uri) {
        return problem(401, unauthorizedDetail, uri).header(WWW_AUTHENTICATE, CHALLENGE).build();
    }

    /** @param uri the request, or null before JAX-RS (the problem then names no instance) */
    public Response forbidden(UriInfo uri) {
        return problem(403, forbiddenDetail, uri).build();
    }

    /** 401 for a missing or refused token, 403 for a role that does not allow the request, else 0 (not ours). */
    static int status(Throwable failure) {
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            return 401;
        }
        return failure instanceof ForbiddenException ? 403 : 0;
    }

    void refused(RoutingContext ctx, ObjectMapper mapper) {
        int status = status(ctx.failure());
        if (status == 0 || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        String detail = status == 401 ? unauthorizedDetail : forbiddenDetail;
        String body;
        try {
            body = mapper.writeValueAsString(Problems.body(status, detail, null, null));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
            return;
        }
        if (status == 401) {
            ctx.response().putHeader(WWW_AUTHENTICATE, CHALLENGE);
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problems.MEDIA_TYPE).end(body);
    }

    private static Response.ResponseBuilder problem(int status, String detail, UriInfo uri) {
        String instance = uri == null ? null : uri.getRequestUri().getRawPath();
        return Response.status(status).type(Problems.MEDIA_TYPE).entity(Problems.body(status, detail, instance, null));
    }
}
