package dev.lookout.review.service;

/** Screen position of a text in a blind pair. */
public enum Side {
    A, B
}
