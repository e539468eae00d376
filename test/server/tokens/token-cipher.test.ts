import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecret, SealedSecretError, sealSecret } from '../../../server/tokens/token-cipher.ts';

const key = randomBytes(32);
const token = 'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4';

describe('token cipher (AES-256-GCM)', () => {
  it('round-trips and never stores the token bytes in the clear', () => {
    const sealed = sealSecret(token, key, 42);
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed).not.toContain(token);
    expect(Buffer.from(sealed.split('.')[3] ?? '', 'base64url').toString('latin1')).not.toContain(
      token.slice(0, 12),
    );
    expect(openSecret(sealed, key, 42)).toBe(token);
  });

  it('uses a fresh IV each time', () => {
    expect(sealSecret(token, key, 42)).not.toBe(sealSecret(token, key, 42));
  });

  it.each([
    ['another portal', (sealed: string) => openSecret(sealed, key, 43)],
    ['another key', (sealed: string) => openSecret(sealed, randomBytes(32), 42)],
    [
      'a tampered ciphertext',
      (sealed: string) => {
        const parts = sealed.split('.');
        const body = Buffer.from(parts[3] ?? '', 'base64url');
        body[0] = (body[0] ?? 0) ^ 1;
        parts[3] = body.toString('base64url');
        return openSecret(parts.join('.'), key, 42);
      },
    ],
    ['an unknown format', () => openSecret('plain-token', key, 42)],
  ])('refuses %s', (_case, open) => {
    const sealed = sealSecret(token, key, 42);
    expect(() => open(sealed)).toThrow(SealedSecretError);
  });
});
