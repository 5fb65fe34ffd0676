package dev.lookout.review;

final class Placeholder {
}
