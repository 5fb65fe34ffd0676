package dev.lookout.proberunner.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.lookout.proberunner.config.ProbeRunnerConfig;

/**
 * AES-256-GCM for endpoint API keys: base64(12-byte IV || ciphertext+tag), with the endpoint's id as associated data,
 * so a ciphertext copied onto another endpoint's row does not decrypt. Keys stored before the id was bound decrypt
 * without associated data once ({@link Decrypted#legacy()}) and the caller stores them again bound. Plaintext is
 * never logged.
 */
@ApplicationScoped
public class SecretCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A decrypted key; {@code legacy}: it was stored without the endpoint id bound (re-encrypt it). */
    public record Decrypted(String plaintext, boolean legacy) {
        @Override
        public String toString() {
            return "Decrypted[legacy=" + legacy + "]";
        }
    }

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public SecretCipher(ProbeRunnerConfig config) {
        this(config.secrets().key());
    }

    /** {@code base64Key}: base64 of 32 bytes, or empty (API keys cannot be stored). */
    public SecretCipher(Optional<String> base64Key) {
        this.key = base64Key.filter(k -> !k.isBlank()).map(SecretCipher::decodeKey).orElse(null);
    }

    private static SecretKey decodeKey(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("lookout.secrets.key is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("lookout.secrets.key must be 32 bytes (base64), got " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    public String encrypt(String plaintext, UUID endpointId) {
        if (key == null) {
            throw new BadInputException(422, "This server has no secrets key configured (LOOKOUT_SECRETS_KEY), "
                    + "so it cannot store API keys", List.of(new BadInputException.Problem("apiKey",
                            "cannot be stored without a configured secrets key")));
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(endpointId));
            byte[] ct = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed");
        }
    }

    /** Decrypts a key stored for {@code endpointId}; null stays null. */
    public Decrypted decrypt(String encoded, UUID endpointId) {
        if (encoded == null) {
            return null;
        }
        if (key == null) {
            throw new IllegalStateException("no secrets key configured to decrypt an endpoint API key");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw undecryptable();
        }
        try {
            return new Decrypted(open(in, aad(endpointId)), false);
        } catch (AEADBadTagException bound) {
            try {
                // stored before keys were bound to their endpoint
                return new Decrypted(open(in, null), true);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw undecryptable();
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw undecryptable();
        }
    }

    private String open(byte[] in, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
        if (aad != null) {
            cipher.updateAAD(aad);
        }
        return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    }

    private static byte[] aad(UUID endpointId) {
        return ("lookout-endpoint:" + endpointId).getBytes(StandardCharsets.UTF_8);
    }

    private static IllegalStateException undecryptable() {
        return new IllegalStateException("stored API key cannot be decrypted (wrong lookout.secrets.key, or not "
                + "this endpoint's key)");
    }
}
