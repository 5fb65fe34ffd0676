package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(
            "unit-test-only-secret-cipher-key".getBytes(StandardCharsets.US_ASCII));
    private final SecretCipher cipher = new SecretCipher(Optional.of(KEY));

    @Test
    void roundTripsBoundToTheEndpoint() {
        UUID id = UUID.randomUUID();
        String enc = cipher.encrypt("sk-abc", id);
        assertFalse(enc.contains("sk-abc"));
        SecretCipher.Decrypted dec = cipher.decrypt(enc, id);
        assertEquals("sk-abc", dec.plaintext());
        assertFalse(dec.legacy());
        assertNotEquals(enc, cipher.encrypt("sk-abc", id), "a fresh IV each time");
    }

    @Test
    void aCiphertextCopiedToAnotherEndpointDoesNotDecrypt() {
        String enc = cipher.encrypt("sk-abc", UUID.randomUUID());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cipher.decrypt(enc, UUID.randomUUID()));
        assertFalse(e.getMessage().contains("sk-abc"));
    }

    @Test
    void aKeyStoredWithoutAssociatedDataStillDecryptsAndIsMarkedLegacy() throws Exception {
        String legacy = SecretCipherTestSupport.legacyEncrypt(KEY, "sk-old");
        SecretCipher.Decrypted dec = cipher.decrypt(legacy, UUID.randomUUID());
        assertEquals("sk-old", dec.plaintext());
        assertTrue(dec.legacy());
        assertFalse(dec.toString().contains("sk-old"));
    }

    @Test
    void garbageAndNullAreHandled() {
        assertEquals(null, cipher.decrypt(null, UUID.randomUUID()));
        assertThrows(IllegalStateException.class, () -> cipher.decrypt("not base64!", UUID.randomUUID()));
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(
                Base64.getEncoder().encodeToString(new byte[40]), UUID.randomUUID()));
    }
}
