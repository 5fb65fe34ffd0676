package dev.lookout.ingest.client;

import dev.lookout.ingest.service.UpstreamUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Which suites and model endpoints exist in a project, as probe-runner (their owner) says to the current caller.
 * probe-runner unreachable, slow or answering an error is {@link UpstreamUnavailableException} (503): the caller's
 * request is refused rather than stored unchecked.
 */
@ApplicationScoped
public class ProbeRunnerCatalog {

    private static final Logger LOG = Logger.getLogger(ProbeRunnerCatalog.class);

    private final ProbeRunnerRestClient client;

    public ProbeRunnerCatalog(@RestClient ProbeRunnerRestClient client) {
        this.client = client;
    }

    public boolean suiteExists(String project, String name) {
        return ask("suite '" + name + "'",
                () -> names(client.suites(project, name), ProbeRunnerRestClient.Suite::name), name);
    }

    public boolean endpointExists(String project, String name) {
        return ask("endpoint '" + name + "'",
                () -> names(client.endpoints(project, name), ProbeRunnerRestClient.Endpoint::name), name);
    }

    /** What ingest needs to know of an endpoint. */
    public record EndpointInfo(String id, String name, String adapterLoading) {
    }

    /** The endpoint of the project named {@code nameOrId} (a name, or the id of one), if the caller may see it. */
    public Optional<EndpointInfo> endpoint(String project, String nameOrId) {
        String what = "endpoint '" + nameOrId + "'";
        try {
            ProbeRunnerRestClient.Endpoint found;
            UUID id = uuid(nameOrId);
            if (id != null) {
                found = client.endpoint(id);
            } else {
                List<ProbeRunnerRestClient.Endpoint> named = client.endpoints(project, nameOrId);
                found = named == null ? null
                        : named.stream().filter(n -> nameOrId.equals(n.name())).findFirst().orElse(null);
            }
            return Optional.ofNullable(found).filter(n -> n.project() == null || project.equals(n.project()))
                    .map(n -> new EndpointInfo(n.id(), n.name(), n.adapterLoading()));
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw unavailable(what, e);
        } catch (RuntimeException e) {
            throw unavailable(what, e);
        }
    }

    private static UUID uuid(String s) {
        try {
            return s.length() == 36 ? UUID.fromString(s) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static UpstreamUnavailableException unavailable(String what, RuntimeException e) {
        LOG.warnf("probe-runner could not be asked about %s: %s", what, e.getMessage());
        return new UpstreamUnavailableException("probe-runner could not be asked whether " + what
                + " exists; try again shortly");
    }

    private static <T> List<String> names(List<T> found, java.util.function.Function<T, String> name) {
        return found == null ? List.of() : found.stream().map(name).toList();
    }

    private static boolean ask(String what, Supplier<List<String>> call, String name) {
        List<String> found;
        try {
            found = call.get();
        } catch (RuntimeException e) {
            LOG.warnf("probe-runner could not be asked about %s: %s", what, e.getMessage());
            throw new UpstreamUnavailableException("probe-runner could not be asked whether " + what
                    + " exists; try again shortly");
        }
        return found.contains(name);
    }
}
