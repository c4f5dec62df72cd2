import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretProblem } from './secret-strength';

describe('secretProblem', () => {
  it.each([
    ['too short', 'abc', /^must be at least 32 characters\. Generate one with: openssl rand -base64 32$/],
    ['the value docker-compose.yml used to ship', 'change-me-change-me-change-me-change-me', /placeholder published in this repository/],
    ['a placeholder word', 'please-replace-this-value-xq81Zt5WbP0k', /contains "replace"/],
    ['a repeat', 'Zq81xWbP0kZq81xWbP0kZq81xWbP0kZq81', /repeats "Zq81xWbP"/],
    ['a sequence', 'q8Z1x-0123456789-WbP0kT7mRvY2uNcL', /sequence "012345"/],
    ['one letter', 'a'.repeat(44), /repeats "aaaaaaaa"/],
    ['few distinct characters', 'abab1212abba2121baba2211aabb1122ab', /too predictable \(about 67 bits/],
  ])('refuses %s', (_name, value, message) => {
    const problem = secretProblem(value);
    expect(problem).toMatch(message);
    expect(problem).toMatch(/Generate one with: openssl rand -base64 32$/);
  });

  it('accepts a random hex value whose digits happen to be uneven (refused once at a 96-bit bar)', () => {
    expect(secretProblem('b118b7b44274bb94b478b9d1fbdb498f')).toBeNull();
  });

  it('accepts random values of the usual shapes, every time', () => {
    for (let i = 0; i < 500; i += 1) {
      for (const value of [randomBytes(32).toString('base64'), randomBytes(32).toString('base64url'), randomBytes(16).toString('hex')]) {
        expect(secretProblem(value), value).toBeNull();
      }
    }
  });
});
