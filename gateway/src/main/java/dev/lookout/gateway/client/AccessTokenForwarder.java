package dev.lookout.gateway.client;

import dev.lookout.gateway.security.CallerToken;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Puts the current caller's access token on outgoing REST-client calls (the token-propagation extension is not
 * available at 3.33.2). The backends check roles and project membership against it themselves. A call that already
 * carries {@code Authorization} (asynchronous calls pass the caller's token explicitly) keeps it.
 */
public class AccessTokenForwarder implements ClientRequestFilter {

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().remove(HttpHeaders.COOKIE);
        if (request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
            return;
        }
        ArcContainer container = Arc.container();
        if (!container.requestContext().isActive()) {
            return;
        }
        SecurityIdentity identity = container.instance(SecurityIdentity.class).get();
        CallerToken.of(identity).ifPresent(token ->
                request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }
}
