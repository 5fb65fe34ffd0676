package dev.lookout.ingest.client;

import dev.lookout.ingest.service.UpstreamUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.List;
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
        return ask("suite '" + name + "'", () -> client.suites(project, name), name);
    }

    public boolean endpointExists(String project, String name) {
        return ask("endpoint '" + name + "'", () -> client.endpoints(project, name), name);
    }

    private static boolean ask(String what, Supplier<List<ProbeRunnerRestClient.Named>> call, String name) {
        List<ProbeRunnerRestClient.Named> found;
        try {
            found = call.get();
        } catch (RuntimeException e) {
            LOG.warnf("probe-runner could not be asked about %s: %s", what, e.getMessage());
            throw new UpstreamUnavailableException("probe-runner could not be asked whether " + what
                    + " exists; try again shortly");
        }
        return found != null && found.stream().anyMatch(n -> name.equals(n.name()));
    }
}
