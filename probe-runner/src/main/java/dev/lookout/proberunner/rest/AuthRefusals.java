package dev.lookout.proberunner.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.platform.AuthProblems;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * This service's wording of the shared 401/403 problem+json answers ({@link AuthProblems} in deploy/platform),
 * registered on the router at startup so that a token Quarkus refuses before any resource runs gets them too.
 */
@ApplicationScoped
public class AuthRefusals {

    static final AuthProblems PROBLEMS = new AuthProblems("A valid access token for Lookout is required:"
            + " send 'Authorization: Bearer <token>' (not expired, audience 'lookout')",
            "Your role does not allow this action");

    private final ObjectMapper mapper;

    public AuthRefusals(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        PROBLEMS.register(router, mapper);
    }
}
