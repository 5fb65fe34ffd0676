package dev.lookout.review.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.review.service.BadInputException;
import dev.lookout.review.service.ExportService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static dev.lookout.platform.Roles.ADMIN;
import static dev.lookout.platform.Roles.ENGINEER;

@Path("/api/exports")
public class ExportResource {

    /** Header with the dataset_info.json entry (compact JSON) to paste for a LLaMA-Factory export. */
    public static final String DATASET_INFO_HEADER = "X-LlamaFactory-Dataset-Info";
    public static final String JSON_LINES = "application/x-ndjson";

    private final ExportService exports;
    private final CurrentCaller caller;
    private final ObjectMapper json;

    public ExportResource(ExportService exports, CurrentCaller caller, ObjectMapper json) {
        this.exports = exports;
        this.caller = caller;
        this.json = json;
    }

    /**
     * Streams the run's decided pairs as llamafactory-sharegpt | llamafactory-alpaca (JSON array) or trl | kto
     * (JSON Lines); format=llamafactory-dataset-info answers the dataset_info.json entries instead.
     */
    @GET
    @Path("/preferences")
    @RolesAllowed({ENGINEER, ADMIN})
    public Response preferences(@QueryParam("run") @NotNull UUID run, @QueryParam("format") String format)
            throws JsonProcessingException {
        if (ExportService.DATASET_INFO_FORMAT.equals(format)) {
            exports.prepare(caller.get(), run, ExportService.Format.LLAMAFACTORY_SHAREGPT); // 404 unless visible
            return Response.ok(ExportService.datasetInfo(run), MediaType.APPLICATION_JSON).build();
        }
        ExportService.Format parsed = ExportService.Format.parse(format);
        if (parsed == null) {
            List<String> known = new java.util.ArrayList<>(
                    Arrays.stream(ExportService.Format.values()).map(f -> f.key).toList());
            known.add(ExportService.DATASET_INFO_FORMAT);
            throw new BadInputException("format must be one of " + String.join(", ", known),
                    List.of(new BadInputException.Where("format", "unknown format '" + format + "'")));
        }
        ExportService.Prepared prepared = exports.prepare(caller.get(), run, parsed);
        StreamingOutput body = out -> exports.write(prepared, out);
        Response.ResponseBuilder response = Response.ok(body,
                        parsed.jsonArray ? MediaType.APPLICATION_JSON + ";charset=UTF-8" : JSON_LINES + ";charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + parsed.fileName(run) + "\"");
        if (parsed == ExportService.Format.LLAMAFACTORY_SHAREGPT || parsed == ExportService.Format.LLAMAFACTORY_ALPACA) {
            response.header(DATASET_INFO_HEADER, json.writeValueAsString(java.util.Map.of(
                    ExportService.datasetName(run, parsed), ExportService.datasetInfoEntry(run, parsed))));
        }
        return response.build();
    }
}
