package dev.lookout.ingest.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** RFC 9457 problem details. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<Error> errors) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String field, Long line, Integer index, Long offset, String message) {
    }
}
