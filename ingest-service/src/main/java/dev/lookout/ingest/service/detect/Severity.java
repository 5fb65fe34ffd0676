package dev.lookout.ingest.service.detect;

public enum Severity { info, warning, critical }
