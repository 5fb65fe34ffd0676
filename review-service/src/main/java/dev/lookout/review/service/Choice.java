package dev.lookout.review.service;

/** A reviewer's judgement of a blind pair, by screen position. */
public enum Choice {
    A, B, TIE, BOTH_BAD
}
