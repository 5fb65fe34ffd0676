package dev.lookout.gateway.rest;

import dev.lookout.platform.Roles;
import dev.lookout.gateway.messaging.LiveFeed;
import dev.lookout.gateway.service.Caller;
import dev.lookout.gateway.service.CallerResolver;
import dev.lookout.gateway.service.LiveStreams;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.time.Duration;

/**
 * GET /api/live: server-sent events (run, checkpoint, alarm, probe run and verdict events) of the caller's projects.
 * A user holds at most {@code lookout.live.max-connections-per-user} streams at once; the next one gets 429.
 */
@Path("/api/live")
public class LiveResource {

    private final LiveFeed feed;
    private final CallerResolver callers;
    private final SecurityIdentity identity;
    private final LiveStreams streams;

    public LiveResource(LiveFeed feed, CallerResolver callers, SecurityIdentity identity, LiveStreams streams) {
        this.feed = feed;
        this.callers = callers;
        this.identity = identity;
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.VIEWER, Roles.REVIEWER, Roles.ENGINEER, Roles.ADMIN, Roles.SERVICE})
    public Multi<JsonObject> live() {
        Caller caller = callers.resolve(identity);
        Runnable release = streams.acquire(identity.getPrincipal().getName());
        Multi<JsonObject> heartbeat = Multi.createFrom().ticks().every(Duration.ofSeconds(25))
                .map(tick -> new JsonObject().put("type", "heartbeat"));
        return Multi.createBy().merging().streams(
                        Multi.createFrom().item(new JsonObject().put("type", "hello")), feed.stream(caller), heartbeat)
                .onTermination().invoke(release);
    }
}
