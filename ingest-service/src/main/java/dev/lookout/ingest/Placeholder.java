package dev.lookout.ingest;

final class Placeholder {
}
