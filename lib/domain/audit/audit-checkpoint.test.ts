import { describe, expect, it } from 'vitest';
import { checkCheckpointSignature, checkpointKey, signCheckpoint } from './audit-checkpoint';

const key = checkpointKey({ INGRESS_GATE_SECRET_KEY: 'amy9ZtUPy+ZjPfWmnNEq56TETpUx38IB8QOxSwbjgWc=' })!;
const other = checkpointKey({ INGRESS_GATE_AUDIT_KEY: 'MkP+8SD89mknDbK4NycN++M0uECXr0svIGElTJhDDXA=' })!;
const checkpoint = { seq: '42', hash: 'a'.repeat(64), createdAt: '2026-11-29T08:00:00.000Z' };

describe('audit checkpoints', () => {
  it('verifies what it signed', () => {
    expect(checkCheckpointSignature(key, signCheckpoint(key, checkpoint))).toEqual({ ok: true });
  });

  it.each([
    ['another hash', { hash: 'b'.repeat(64) }],
    ['another seq', { seq: '43' }],
    ['another time', { createdAt: '2026-11-29T09:00:00.000Z' }],
    ['a made-up signature', { signature: '0'.repeat(64) }],
  ])('refuses a checkpoint with %s', (_name, change) => {
    expect(checkCheckpointSignature(key, { ...signCheckpoint(key, checkpoint), ...change })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/invalid signature/),
    });
  });

  it('names the key when it is another one', () => {
    expect(checkCheckpointSignature(other, signCheckpoint(key, checkpoint))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/was signed with key [0-9a-f]{16}, not the key given/),
    });
  });

  it('derives different keys from INGRESS_GATE_SECRET_KEY and INGRESS_GATE_AUDIT_KEY, none without either', () => {
    expect(key.equals(other)).toBe(false);
    expect(key).toHaveLength(32);
    expect(checkpointKey({})).toBeNull();
  });
});
