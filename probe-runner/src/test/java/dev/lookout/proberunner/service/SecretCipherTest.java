package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

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
        String legacy = legacyEncrypt(KEY, "sk-old");
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

    /** How keys were stored before they were bound to their endpoint: AES-GCM without associated data. */
    static String legacyEncrypt(String base64Key, String plaintext) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, iv));
        byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[iv.length + ct.length];
        System.arraycopy(iv, 0, out, 0, iv.length);
        System.arraycopy(ct, 0, out, iv.length, ct.length);
        return Base64.getEncoder().encodeToString(out);
    }
}
