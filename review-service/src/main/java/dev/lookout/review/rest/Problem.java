package dev.lookout.review.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** RFC 9457 problem details. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<Error> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String field, Integer line, Integer column, String message) {
        public static Error field(String field, String message) {
            return new Error(field, null, null, message);
        }
    }
}
