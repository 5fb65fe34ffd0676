package dev.lookout.simulator;

import java.nio.charset.StandardCharsets;

/** A stable 64-bit hash (FNV-1a + murmur3 finaliser): same value on every JVM, run and platform. */
final class Hashing {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {
    }

    static long hash(Object... parts) {
        long h = FNV_OFFSET;
        for (Object part : parts) {
            for (byte b : String.valueOf(part).getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (b & 0xff)) * FNV_PRIME;
            }
            h = (h ^ 0x1f) * FNV_PRIME; // part separator
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
