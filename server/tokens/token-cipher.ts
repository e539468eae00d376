import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Encrypts a secret for storage at rest with AES-256-GCM. The portal id is
 * bound in as additional authenticated data, so one portal's ciphertext
 * cannot be replayed as another's.
 *
 * @returns `v1.<iv>.<tag>.<ciphertext>`, each part base64url
 */
export function sealSecret(plaintext: string, key: Buffer, portalId: number): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(String(portalId)));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
  return [VERSION, ...parts].join('.');
}

/** The stored value was not made with this key for this portal, or was altered. */
export class SealedSecretError extends Error {
  override readonly name = 'SealedSecretError';
}

/** Decrypts what `sealSecret` made; throws `SealedSecretError` on any mismatch. */
export function openSecret(sealed: string, key: Buffer, portalId: number): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new SealedSecretError('stored secret has an unknown format');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(String(portalId)));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SealedSecretError('stored secret does not decrypt with this key for this portal');
  }
}
