import { describe, expect, it } from 'vitest';
import { openSecret, SecretBoxError, sealSecret } from './secret-box';

const KEY = 'k'.repeat(32) + '-test-only-secret-key';
const OTHER_KEY = 'o'.repeat(40);
const KUBECONFIG = 'apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: very-secret-token\n';

function flipByte(sealed: string, at: number): string {
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  raw[at] = (raw[at] ?? 0) ^ 0x01;
  return `v1:${raw.toString('base64url')}`;
}

describe('secret box', () => {
  it('round-trips, with a v1: prefix and no plaintext in the sealed text', () => {
    const sealed = sealSecret(KUBECONFIG, KEY, 'env-1');
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(sealed).not.toContain('very-secret-token');
    expect(openSecret(sealed, KEY, 'env-1')).toBe(KUBECONFIG);
  });

  it('seals the same text differently each time (random IV)', () => {
    expect(sealSecret(KUBECONFIG, KEY)).not.toBe(sealSecret(KUBECONFIG, KEY));
  });

  it.each([
    ['the IV', 0],
    ['the auth tag', 12],
    ['the ciphertext', 40],
  ])('detects tampering with %s', (_what, at) => {
    const sealed = sealSecret(KUBECONFIG, KEY, 'env-1');
    expect(() => openSecret(flipByte(sealed, at), KEY, 'env-1')).toThrow(SecretBoxError);
  });

  it.each([
    ['another key', (s: string) => openSecret(s, OTHER_KEY, 'env-1')],
    ['another environment', (s: string) => openSecret(s, KEY, 'env-2')],
    ['an unknown version', (s: string) => openSecret(s.replace(/^v1:/, 'v2:'), KEY, 'env-1')],
    ['no version', (s: string) => openSecret(s.slice(3), KEY, 'env-1')],
    ['a truncated value', (s: string) => openSecret(s.slice(0, 20), KEY, 'env-1')],
  ])('refuses %s without revealing anything', (_what, open) => {
    const sealed = sealSecret(KUBECONFIG, KEY, 'env-1');
    let message = '';
    try {
      open(sealed);
    } catch (e) {
      expect(e).toBeInstanceOf(SecretBoxError);
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain('secret-token');
    expect(message).not.toContain(KEY);
  });

  it('refuses a short key', () => {
    expect(() => sealSecret('x', 'short')).toThrow(/at least 32/);
  });
});
