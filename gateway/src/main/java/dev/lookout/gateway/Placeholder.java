package dev.lookout.gateway;

final class Placeholder {
}
