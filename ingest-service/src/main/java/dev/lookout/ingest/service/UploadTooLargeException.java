package dev.lookout.ingest.service;

/** An upload larger than lookout.ingest.max-upload-bytes (answered with 413). */
public class UploadTooLargeException extends RuntimeException {

    private final long limit;

    public UploadTooLargeException(long limit) {
        super("the upload is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
