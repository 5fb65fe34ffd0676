package dev.lookout.ingest.service;

import java.util.List;

/**
 * Input that cannot be accepted. status is 400 (unreadable), 413 (too large) or 422 (readable but wrong);
 * each problem says where: a field, a line, an index or a byte offset.
 */
public class BadInputException extends RuntimeException {

    public record Problem(String field, Long line, Integer index, Long offset, String message) {
        public static Problem atField(String field, String message) {
            return new Problem(field, null, null, null, message);
        }

        public static Problem atLine(long line, String message) {
            return new Problem(null, line, null, null, message);
        }

        public static Problem atIndex(int index, String message) {
            return new Problem(null, null, index, null, message);
        }

        /** A byte offset in a binary upload (a TensorBoard record). */
        public static Problem atOffset(long offset, String message) {
            return new Problem(null, null, null, offset, message);
        }
    }

    private final int status;
    private final List<Problem> problems;

    public BadInputException(int status, String detail, List<Problem> problems) {
        super(detail);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public int status() {
        return status;
    }

    public List<Problem> problems() {
        return problems;
    }
}
