/**
 * Start-up check of the two keys everything rests on: AUTH_SECRET (signs session cookies: whoever
 * knows it can forge any user's session) and INGRESS_GATE_SECRET_KEY (seals kubeconfigs, keys the
 * audit checkpoints). A value published anywhere — the old docker-compose.yml, a README — or one a
 * person made up is refused, with how to make a real one. Cases, first match wins:
 * - shorter than 32 characters
 * - a value this repository has published as an example
 * - contains a placeholder word ("change", "secret", "example", …)
 * - repeats itself (an 8-character piece occurs twice) or runs through a sequence ("012345", "abcdef")
 * - estimated under 80 bits: characters × Shannon entropy of their frequencies (a random
 *   `openssl rand -base64 32` scores ~190, 32 random hex digits ~110 and, rarely, as low as ~92:
 *   the bar sits well below what chance gives a random value, above what a person types)
 * A random value passes each with overwhelming probability.
 */
export const SECRET_HINT = 'Generate one with: openssl rand -base64 32';

// Published in this repository's history (docker-compose.yml, test tiers, benches) or in docs.
export const KNOWN_PLACEHOLDER_SECRETS = [
  'change-me-change-me-change-me-change-me',
  'change-me-too-change-me-too-change-me-too',
  'e2e-auth-secret-0123456789abcdef0123456789',
  'e2e-secret-key-0123456789abcdef0123456789',
  'integration-test-auth-secret-0123456789abcdef',
  'integration-test-secret-key-0123456789abcdef',
  'bench-auth-secret-0123456789abcdef0123456789',
  'bench-secret-key-0123456789abcdef0123456789',
];

const PLACEHOLDER_WORDS = ['change', 'secret', 'example', 'placeholder', 'password', 'default', 'insecure', 'dummy', 'sample', 'replace'];

const MIN_LENGTH = 32;
const MIN_BITS = 80;

function shannonBits(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * value.length;
}

function repeatedPiece(value: string, size = 8): string | null {
  const seen = new Set<string>();
  for (let i = 0; i + size <= value.length; i += 1) {
    const piece = value.slice(i, i + size);
    if (seen.has(piece)) return piece;
    seen.add(piece);
  }
  return null;
}

function sequence(value: string, size = 6): string | null {
  for (let i = 0; i + size <= value.length; i += 1) {
    const run = value.slice(i, i + size);
    const steps = [...run].slice(1).map((ch, k) => ch.charCodeAt(0) - run.charCodeAt(k));
    if (steps.every((d) => d === 1) || steps.every((d) => d === -1)) return run;
  }
  return null;
}

/** Null when the value will do; else what is wrong with it, ending in how to make one. */
export function secretProblem(value: string): string | null {
  const problem = (() => {
    if (value.length < MIN_LENGTH) return `must be at least ${MIN_LENGTH} characters`;
    if (KNOWN_PLACEHOLDER_SECRETS.includes(value)) return 'is a placeholder published in this repository, so anyone can know it';
    const word = PLACEHOLDER_WORDS.find((w) => value.toLowerCase().includes(w));
    if (word) return `looks like a placeholder (it contains "${word}")`;
    const repeated = repeatedPiece(value);
    if (repeated) return `is not random: it repeats "${repeated}"`;
    const run = sequence(value);
    if (run) return `is not random: it contains the sequence "${run}"`;
    const bits = Math.floor(shannonBits(value));
    if (bits < MIN_BITS) return `is too predictable (about ${bits} bits; at least ${MIN_BITS} needed)`;
    return null;
  })();
  return problem && `${problem}. ${SECRET_HINT}`;
}
