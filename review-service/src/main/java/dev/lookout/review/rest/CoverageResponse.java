package dev.lookout.review.rest;

/** Whether an open review batch of the caller's projects covers the probe run or pair asked about. */
public record CoverageResponse(boolean covered) {
}
