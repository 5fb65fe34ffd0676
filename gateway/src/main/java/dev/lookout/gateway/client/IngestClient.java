package dev.lookout.gateway.client;

import dev.lookout.gateway.client.UpstreamViews.AlarmView;
import dev.lookout.gateway.client.UpstreamViews.CheckpointView;
import dev.lookout.gateway.client.UpstreamViews.RunView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

@RegisterRestClient(configKey = "ingest")
@RegisterProvider(AccessTokenForwarder.class)
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public interface IngestClient {

    @GET
    @Path("/{run}")
    RunView run(@PathParam("run") String run);

    @GET
    @Path("/{run}/checkpoints")
    List<CheckpointView> checkpoints(@PathParam("run") String run);

    @GET
    @Path("/{run}/alarms")
    List<AlarmView> alarms(@PathParam("run") String run);
}
