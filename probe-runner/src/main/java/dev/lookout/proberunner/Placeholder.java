package dev.lookout.proberunner;

final class Placeholder {
}
