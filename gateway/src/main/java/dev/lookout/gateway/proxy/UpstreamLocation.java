package dev.lookout.gateway.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Rewrites a backend's {@code Location} / {@code Content-Location} (pure). A backend builds them from the address the
 * gateway called it under ({@code http://ingest-service:8081/api/runs/…}), which the caller must neither see nor use:
 * such an address becomes the gateway-relative path ({@code /api/runs/…}, the upstream's base path removed). Relative
 * values lose the base path too; addresses of other hosts are left alone.
 */
public final class UpstreamLocation {

    private UpstreamLocation() {
    }

    /**
     * @param location the header's value (may be null)
     * @param base the upstream's base URL (scheme, host, port, optional path prefix)
     * @return the value to send to the caller
     */
    public static String toGateway(String location, URI base) {
        if (location == null || location.isBlank()) {
            return location;
        }
        URI uri;
        try {
            uri = new URI(location.trim());
        } catch (URISyntaxException e) {
            return location;
        }
        if (uri.isAbsolute() && !sameOrigin(uri, base)) {
            return location;
        }
        if (uri.getRawPath() == null) {
            return location;
        }
        String path = stripBasePath(uri.getRawPath(), base);
        return path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
    }

    private static boolean sameOrigin(URI uri, URI base) {
        return uri.getHost() != null && base.getHost() != null
                && uri.getHost().toLowerCase(Locale.ROOT).equals(base.getHost().toLowerCase(Locale.ROOT))
                && port(uri) == port(base);
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String stripBasePath(String path, URI base) {
        String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        if (!prefix.isEmpty() && (path.equals(prefix) || path.startsWith(prefix + "/"))) {
            String rest = path.substring(prefix.length());
            return rest.isEmpty() ? "/" : rest;
        }
        return path.isEmpty() ? "/" : path;
    }
}
