import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals an inline kubeconfig at rest: AES-256-GCM with a key derived (HKDF-SHA256) from the
 * INGRESS_GATE_SECRET_KEY value, passed in by the caller. Sealed text: `v1:` + base64url of
 * iv (12 bytes) ‖ auth tag (16 bytes) ‖ ciphertext. The version prefix lets a later key or
 * algorithm change re-seal lazily. `context` (e.g. the environment id) is bound in as associated
 * data, so a sealed value copied to another environment's row does not open there.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_SECRET_LENGTH = 32;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

function deriveKey(secret: string): Buffer {
  if (secret.length < MIN_SECRET_LENGTH) throw new SecretBoxError(`the secret key must be at least ${MIN_SECRET_LENGTH} characters`);
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('ingress-gate'), Buffer.from('kubeconfig-at-rest/v1'), 32),
  );
}

export function sealSecret(plaintext: string, secret: string, context = ''): string {
  const key = deriveKey(secret);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${VERSION}|${context}`, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** Opens a sealed value. Throws SecretBoxError (never the plaintext or key) on any tampering,
 * a wrong key, a wrong context, or an unknown version. */
export function openSecret(sealed: string, secret: string, context = ''): string {
  const sep = sealed.indexOf(':');
  const version = sep > 0 ? sealed.slice(0, sep) : '';
  if (version !== VERSION) throw new SecretBoxError(`unsupported sealed-secret version ${JSON.stringify(version || sealed.slice(0, 8))}`);
  const raw = Buffer.from(sealed.slice(sep + 1), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed secret is truncated');
  const key = deriveKey(secret);
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(`${VERSION}|${context}`, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('sealed secret failed authentication: it was altered, or sealed with another key or for another environment');
  }
}
