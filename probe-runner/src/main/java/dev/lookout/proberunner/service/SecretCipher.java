package dev.lookout.proberunner.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lookout.proberunner.config.ProbeRunnerConfig;

/** AES-256-GCM for endpoint API keys: base64(12-byte IV || ciphertext+tag). Plaintext is never logged. */
@ApplicationScoped
public class SecretCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(ProbeRunnerConfig config) {
        this.key = config.secrets().key().filter(k -> !k.isBlank()).map(SecretCipher::decodeKey).orElse(null);
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

    public String encrypt(String plaintext) {
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
            byte[] ct = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed");
        }
    }

    public String decrypt(String encoded) {
        if (encoded == null) {
            return null;
        }
        if (key == null) {
            throw new IllegalStateException("no secrets key configured to decrypt an endpoint API key");
        }
        try {
            byte[] in = Base64.getDecoder().decode(encoded);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("stored API key cannot be decrypted (wrong lookout.secrets.key?)");
        }
    }
}
