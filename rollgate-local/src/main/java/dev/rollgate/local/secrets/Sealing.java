package dev.rollgate.local.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM from the JDK: a fresh 96-bit nonce per sealing, a 128-bit tag, and the secret's name
 * and version as associated data, so a sealed value moved to another row does not open.
 */
final class Sealing {

    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Sealing() {}

    /** {@code nonce || ciphertext+tag}. */
    static byte[] seal(SecretKey key, String slot, byte[] plain) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce, slot);
            byte[] sealed = c.doFinal(plain);
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has AES/GCM/NoPadding", e);
        }
    }

    /** The plain bytes, or a {@link SecretKey.KeyException} when the key or the slot is not the one it was sealed with. */
    static byte[] open(SecretKey key, String slot, byte[] sealed) throws SecretKey.KeyException {
        if (sealed.length < NONCE + TAG_BITS / 8) throw new SecretKey.KeyException("the sealed value of " + slot + " is truncated");
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, NONCE), slot);
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (AEADBadTagException e) {
            throw new SecretKey.KeyException(slot + " does not open with the key " + key.file() + ": it was sealed with another key, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has AES/GCM/NoPadding", e);
        }
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String slot) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key.bytes(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(slot.getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
