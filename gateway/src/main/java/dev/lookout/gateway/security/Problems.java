package dev.lookout.gateway.security;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The shared problem+json shape ({@link dev.lookout.platform.Problems}) written straight to a Vert.x response. */
public final class Problems {

    public static final String MEDIA_TYPE = dev.lookout.platform.Problems.MEDIA_TYPE;

    private Problems() {
    }

    public static JsonObject body(int status, String detail, String instance) {
        return new JsonObject(dev.lookout.platform.Problems.body(status, detail, instance, null));
    }

    public static void send(RoutingContext ctx, int status, String detail) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE)
                .putHeader("Cache-Control", "no-store")
                .end(body(status, detail, ctx.request().path()).encode());
    }
}
