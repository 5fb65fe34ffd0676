package dev.lookout.proberunner.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.lookout.proberunner.client.EndpointAllowlist;
import dev.lookout.proberunner.client.EndpointAllowlist.Target;

/**
 * Where webhooks may point: https (http only where {@code lookout.webhooks.allow-http} is on), no user info or
 * fragment, and a host:port on the webhook allowlist {@value NotifyConfig#ALLOWED_HOSTS} — the same parser, pinned
 * resolution and fail-closed rules as the model-server allowlist, with its own list (receivers are not model
 * servers). A query is allowed (some receivers carry a token there) and kept for the request.
 */
@ApplicationScoped
public class WebhookUrls {

    /** A URL as checked: its target and the path + query to request. */
    public record Checked(Target target, String pathAndQuery) {
    }

    /** A URL the rules refuse; the message is a sentence for the user, naming the setting where one applies. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final EndpointAllowlist allowlist;
    private final boolean allowHttp;

    @Inject
    public WebhookUrls(NotifyConfig config) {
        this(config.allowedHosts().orElse(List.of()), config.allowHttp());
    }

    public WebhookUrls(List<String> allowedHosts, boolean allowHttp) {
        this.allowlist = new EndpointAllowlist(allowedHosts);
        this.allowHttp = allowHttp;
    }

    public EndpointAllowlist allowlist() {
        return allowlist;
    }

    public Checked check(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw new Refused("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new Refused(allowHttp ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new Refused("must name a host (and no user info or fragment)");
        }
        if (allowlist.isEmpty()) {
            throw new Refused("the webhook allowlist is empty, so no webhook may be called: an administrator sets "
                    + NotifyConfig.ALLOWED_HOSTS + " (env " + NotifyConfig.ALLOWED_HOSTS_ENV
                    + ") to the host:port of the receivers");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String origin = scheme + "://" + uri.getRawAuthority();
        Target target;
        try {
            target = allowlist.check(origin + path);
        } catch (EndpointAllowlist.Refused e) {
            String host = uri.getHost();
            int port = uri.getPort() < 0 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
            throw new Refused("host and port '" + host + ":" + port + "' are not on the webhook allowlist ("
                    + NotifyConfig.ALLOWED_HOSTS + ", env " + NotifyConfig.ALLOWED_HOSTS_ENV + ")");
        }
        return new Checked(target, uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    }

    /** The URL as a viewer sees it: scheme, host and port only (the path of many receivers is their credential). */
    public static String origin(String url) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() + "://" + uri.getRawAuthority() + "/…";
        } catch (URISyntaxException e) {
            return "(hidden)";
        }
    }
}
