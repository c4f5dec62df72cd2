import { describe, expect, it } from 'vitest';
import { checkPasswordStrength } from './password-strength';

describe('checkPasswordStrength', () => {
  it.each([
    ['12 spaces', '            '],
    ['a dictionary word with digits', 'password1234'],
    ['a repeated letter', 'aaaaaaaaaaaa'],
    ['a keyboard walk', 'qwertyuiop12'],
    ['a sequence', 'abcdefghijkl'],
  ])('refuses %s', (_name, password) => {
    const result = checkPasswordStrength(password);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^The password is too easy to guess\./);
  });

  it('refuses a password built from the user’s own email or name', () => {
    const inputs = ['margaret.hamilton@example.com', 'Margaret Hamilton'];
    expect(checkPasswordStrength('margaret.hamilton@example.com', inputs).ok).toBe(false);
    expect(checkPasswordStrength('hamiltonmargaret', inputs).ok).toBe(false);
    // Without the user's inputs the same email is a long, unusual string.
    expect(checkPasswordStrength('margaret.hamilton@example.com').ok).toBe(true);
  });

  it.each([
    ['short', 'Tr0ub4dor&3', 'The password needs at least 12 characters.'],
    ['long', 'x'.repeat(201), 'The password can have at most 200 characters.'],
  ])('says when it is too %s', (_name, password, message) => {
    expect(checkPasswordStrength(password)).toEqual({ ok: false, message });
  });

  it.each(['violet tractor morning lamp', 'correct horse battery staple', 'Kx7#pQ2!vLm9$Rw4'])('accepts %s', (password) => {
    expect(checkPasswordStrength(password)).toEqual({ ok: true });
  });
});
