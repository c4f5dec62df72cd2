import { describe, expect, it } from 'vitest';
import { errorSummary } from './error-summary';

const TLS = 'TLS is required: host "plain.shop.example.com" is not covered by spec.tls';

describe('errorSummary', () => {
  it.each([
    { name: 'message only', message: 'Nope.', fieldErrors: [], expected: 'Nope.' },
    {
      name: 'a policy refusal whose message lists its violation says it once',
      message: `The change breaks prod's policy: ${TLS}`,
      fieldErrors: [{ path: 'spec.rules[0].host', message: TLS }],
      expected: `The change breaks prod's policy: ${TLS}`,
    },
    {
      name: 'field errors the message does not say are appended with their path',
      message: 'Some fields need attention.',
      fieldErrors: [
        { path: 'title', message: 'too short' },
        { path: 'title', message: 'too short' },
        { path: '', message: 'pick one' },
      ],
      expected: 'Some fields need attention. title: too short; pick one',
    },
  ])('$name', ({ message, fieldErrors, expected }) => {
    expect(errorSummary(message, fieldErrors)).toBe(expected);
  });
});
