package dev.lookout.proberunner.client;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.lookout.proberunner.config.ProbeRunnerConfig;

/**
 * The model servers probe-runner may call (SSRF guard), from {@code lookout.endpoints.allowed-hosts}.
 *
 * <p>An entry is {@code host}, {@code host:port} or {@code host:from-to}; {@code host} is a name
 * ({@code vllm.models.svc}), a wildcard name ({@code *.training.svc}: any name ending in {@code .training.svc}), an
 * IPv4 literal ({@code 10.0.0.5}) or a bracketed IPv6 literal ({@code [::1]}). An entry without a port allows only
 * the default port of the URL's scheme (80 for http, 443 for https), so a database or broker on the same host is
 * never reachable by accident. An IP-literal URL must match an IP-literal entry (same address); a name URL must match
 * a name or wildcard entry. An empty allowlist refuses every endpoint.
 *
 * <p>At call time {@link #resolve} resolves the name once and picks the address the call connects to (no second
 * lookup between check and connect: no DNS rebinding). A name entry never reaches a wildcard, multicast or
 * link-local address (cloud metadata services live at 169.254.169.254), and reaches a loopback address only through
 * the entry {@code localhost}.
 */
@ApplicationScoped
public class EndpointAllowlist {

    public static final String PROPERTY = "lookout.endpoints.allowed-hosts";
    public static final String ENV = "LOOKOUT_ENDPOINTS_ALLOWED_HOSTS";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern PORTS = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    /** One allowlist entry; {@code ip} is set for IP literals, {@code suffix} for wildcards (".training.svc"). */
    record Entry(String text, String name, String suffix, InetAddress ip, int portFrom, int portTo) {

        boolean allowsPort(int port, String scheme) {
            if (portFrom == 0) {
                return port == defaultPort(scheme);
            }
            return port >= portFrom && port <= portTo;
        }

        boolean allowsHost(String host, InetAddress literal) {
            if (literal != null || ip != null) {
                return literal != null && literal.equals(ip);
            }
            return suffix == null ? host.equals(name) : host.endsWith(suffix) && host.length() > suffix.length();
        }
    }

    /** A base URL the allowlist allows: scheme, host (lower case, no brackets), effective port, path, its entry. */
    public record Target(String scheme, String host, int port, String path, InetAddress literal, Entry entry) {

        public boolean ssl() {
            return scheme.equals("https");
        }
    }

    /** Where one call connects: the target and the one address resolved for it. */
    public record Pinned(Target target, InetAddress address) {
    }

    /** A URL or address the allowlist refuses; the message is a sentence for the user. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final List<Entry> entries;

    @Inject
    public EndpointAllowlist(ProbeRunnerConfig config) {
        this(config.endpoints().allowedHosts().orElse(List.of()));
    }

    /** Parses the entries; a malformed one fails startup with a message naming it. */
    public EndpointAllowlist(List<String> raw) {
        List<Entry> parsed = new ArrayList<>();
        for (String item : raw) {
            String text = item == null ? "" : item.trim().toLowerCase(Locale.ROOT);
            if (!text.isEmpty()) {
                parsed.add(parse(text));
            }
        }
        this.entries = List.copyOf(parsed);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entries as configured (normalised), for messages and docs. */
    public List<String> entries() {
        return entries.stream().map(Entry::text).toList();
    }

    static Entry parse(String text) {
        String host = text;
        String ports = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw invalid(text, "an IPv6 literal needs a closing ']'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(text, "only ':port' may follow an IPv6 literal");
                }
                ports = rest.substring(1);
            }
        } else if (text.indexOf(':') >= 0) {
            if (text.indexOf(':') != text.lastIndexOf(':')) {
                throw invalid(text, "write IPv6 literals in brackets, e.g. [::1]:8000");
            }
            host = text.substring(0, text.indexOf(':'));
            ports = text.substring(text.indexOf(':') + 1);
        }
        int[] range = ports == null ? new int[] { 0, 0 } : portRange(text, ports);
        InetAddress ip = text.startsWith("[") ? ipv6(text, host) : ipv4(host);
        if (ip != null) {
            return new Entry(text, null, null, ip, range[0], range[1]);
        }
        if (host.startsWith("*.")) {
            String suffix = host.substring(1);
            if (!NAME.matcher(suffix.substring(1)).matches()) {
                throw invalid(text, "'*.' must be followed by a host name");
            }
            return new Entry(text, null, suffix, null, range[0], range[1]);
        }
        if (!NAME.matcher(host).matches()) {
            throw invalid(text, "is not a host name, IPv4 address, [IPv6] address or *.domain");
        }
        return new Entry(text, host, null, null, range[0], range[1]);
    }

    private static int[] portRange(String text, String ports) {
        Matcher m = PORTS.matcher(ports);
        if (!m.matches()) {
            throw invalid(text, "the port must be a number or a range from-to");
        }
        int from = Integer.parseInt(m.group(1));
        int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
        if (from < 1 || to > 65535 || from > to) {
            throw invalid(text, "ports run from 1 to 65535, the lower one first");
        }
        return new int[] { from, to };
    }

    private static InetAddress ipv6(String text, String host) {
        InetAddress ip = ipv6(host);
        if (ip == null) {
            throw invalid(text, "is not an IPv6 address");
        }
        return ip;
    }

    /** The address of an IPv6 literal (without brackets), or null when it is none (no DNS: hex digits only). */
    static InetAddress ipv6(String host) {
        if (host.isEmpty() || !host.matches("[0-9a-f:.]+") || host.indexOf(':') < 0) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The address of a strict dotted-quad IPv4 literal, or null for anything else (no DNS). */
    static InetAddress ipv4(String host) {
        Matcher m = IPV4.matcher(host);
        if (!m.matches()) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int part = Integer.parseInt(m.group(i + 1));
            if (part > 255) {
                return null;
            }
            bytes[i] = (byte) part;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an address");
        }
    }

    private static IllegalStateException invalid(String entry, String why) {
        return new IllegalStateException(PROPERTY + ": entry '" + entry + "' " + why);
    }

    static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /**
     * Checks a base URL against the allowlist (no DNS): http or https, a host, no user info, query or fragment, and
     * an entry allowing its host and port.
     */
    public Target check(String baseUrl) {
        if (entries.isEmpty()) {
            throw new Refused("the endpoint allowlist is empty, so no model server may be called: an administrator "
                    + "sets " + PROPERTY + " (env " + ENV + ") to the host:port of the model servers");
        }
        URI uri;
        try {
            uri = new URI(baseUrl.trim());
        } catch (URISyntaxException e) {
            throw new Refused("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new Refused("must name a host (and no user info, query or fragment)");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        InetAddress literal;
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
            literal = ipv6(host);
            if (literal == null) {
                throw new Refused("is not a valid URL (bad IPv6 address)");
            }
        } else {
            host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            literal = ipv4(host);
        }
        int port = uri.getPort() < 0 ? defaultPort(scheme) : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        for (Entry entry : entries) {
            if (entry.allowsHost(host, literal) && entry.allowsPort(port, scheme)) {
                return new Target(scheme, host, port, path, literal, entry);
            }
        }
        throw new Refused("host and port '" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + port + "' are not on the endpoint allowlist (" + PROPERTY + ")");
    }

    /**
     * Resolves the target once and returns the address to connect to. Blocking (DNS) for names: call on a worker
     * thread. Throws {@link Refused} when no resolved address is allowed, {@link UnknownHostException} when the name
     * does not resolve.
     */
    public Pinned resolve(Target target) throws UnknownHostException {
        if (target.literal() != null) {
            return new Pinned(target, target.literal());
        }
        boolean loopbackAllowed = "localhost".equals(target.entry().name());
        for (InetAddress address : InetAddress.getAllByName(target.host())) {
            if (allowedForName(address, loopbackAllowed)) {
                return new Pinned(target, address);
            }
        }
        throw new Refused("host '" + target.host() + "' resolves to no address the endpoint allowlist allows "
                + "(a name entry never reaches loopback, except 'localhost', nor link-local, multicast or "
                + "wildcard addresses; list the IP address itself to allow it)");
    }

    static boolean allowedForName(InetAddress address, boolean loopbackAllowed) {
        if (address.isAnyLocalAddress() || address.isMulticastAddress() || address.isLinkLocalAddress()) {
            return false;
        }
        if (address.isLoopbackAddress()) {
            return loopbackAllowed;
        }
        // a name entry that should reach loopback ('localhost') never reaches anything else
        return !loopbackAllowed && (address instanceof Inet4Address || address instanceof Inet6Address);
    }
}
