import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { TActor } from '@/lib/domain/authz/permissions';
import type { ChangeRequest } from '@/lib/generated/prisma/client';
import { AppError } from './errors';
import { assertMay, isUuid, parseInput, requestFacts, requireActor, zodToAppError } from './operation';

const caught = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
};

const someone: TActor = { id: 'u1', email: 'u1@example.test', name: 'U1', roles: [{ role: 'REQUESTER', environmentId: null }] };

describe('requireActor', () => {
  it('returns the caller and refuses nobody with 401', () => {
    expect(requireActor(someone)).toBe(someone);
    const error = caught(() => requireActor(null));
    expect([error.code, error.status, error.message]).toEqual(['UNAUTHENTICATED', 401, 'Sign in first.']);
  });
});

describe('parseInput / zodToAppError', () => {
  const Z = z.object({ title: z.string().min(3, 'too short'), tags: z.array(z.string().max(2, 'tag too long')) });

  it('returns the parsed value', () => {
    expect(parseInput(Z, { title: 'abc', tags: ['x'] })).toEqual({ title: 'abc', tags: ['x'] });
  });

  it('is a 400 naming every field path, with the given message', () => {
    const error = caught(() => parseInput(Z, { title: 'a', tags: ['ok', 'long'] }, 'The filter needs attention.'));
    expect(error.status).toBe(400);
    expect(error.message).toBe('The filter needs attention.');
    expect(error.fieldErrors).toEqual([
      { path: 'title', message: 'too short' },
      { path: 'tags.1', message: 'tag too long' },
    ]);
  });

  it('defaults to "Some fields need attention."', () => {
    const parsed = Z.safeParse({});
    expect(parsed.success).toBe(false);
    expect(zodToAppError(parsed.error!).message).toBe('Some fields need attention.');
  });
});

describe('isUuid', () => {
  it.each([
    ['6f1c2a7e-1d2b-4c3d-9e8f-0a1b2c3d4e5f', true],
    ['6F1C2A7E-1D2B-4C3D-9E8F-0A1B2C3D4E5F', true],
    ['6f1c2a7e1d2b4c3d9e8f0a1b2c3d4e5f', false],
    ['------------------------------------', false],
    ['6f1c2a7e-1d2b-4c3d-9e8f-0a1b2c3d4e5g', false],
    [' 6f1c2a7e-1d2b-4c3d-9e8f-0a1b2c3d4e5f', false],
    ['', false],
    [42, false],
    [null, false],
  ] as const)('%j → %s', (value, expected) => {
    expect(isUuid(value)).toBe(expected);
  });
});

describe('assertMay', () => {
  const row = (status: ChangeRequest['status']) =>
    ({
      id: 'cr1',
      requesterId: 'someone-else',
      environmentId: 'env-prod',
      status,
      action: 'UPDATE',
      windowOverrideAt: null,
      environment: { name: 'prod' },
    }) as unknown as ChangeRequest & { environment: { name: string } };

  it('passes the request row and its environment name to the lifecycle', () => {
    expect(requestFacts(row('PENDING'))).toEqual({
      requesterId: 'someone-else',
      environmentId: 'env-prod',
      environmentName: 'prod',
      status: 'PENDING',
      action: 'UPDATE',
      windowOverrideAt: null,
    });
  });

  it('throws the refusal as 403 or 409 with its sentence and code', () => {
    const forbidden = caught(() => assertMay(someone, row('PENDING'), 'cancel'));
    expect([forbidden.status, forbidden.message, forbidden.details]).toEqual([
      403,
      'Only the requester or an admin can cancel this change.',
      { reason: 'not-requester-or-admin' },
    ]);
    const admin: TActor = { ...someone, roles: [{ role: 'ADMIN', environmentId: 'env-prod' }] };
    const conflict = caught(() => assertMay(admin, row('APPLIED'), 'cancel'));
    expect([conflict.status, conflict.message]).toEqual([409, 'A applied request cannot be cancelled.']);
    expect(() => assertMay(admin, row('PENDING'), 'cancel')).not.toThrow();
  });
});
