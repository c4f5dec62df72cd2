import type { TPathSegment } from './types';

// Property names that can be written after a dot without ambiguity; anything else (annotation and
// label keys, which contain dots and slashes) is written in brackets, as apimachinery's field.Path does.
const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats segments the way Kubernetes prints field paths:
 * - `['spec','rules',0,'host']` → `spec.rules[0].host`
 * - map keys that are not identifiers → `metadata.annotations[nginx.ingress.kubernetes.io/auth-url]`
 * - `[]` → `` (the whole object)
 */
export function formatPath(segments: readonly TPathSegment[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_NAME.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${seg}]`;
  }
  return out;
}

/** Appends a map key to an already formatted path (same rules as formatPath). */
export function appendKey(path: string, key: string): string {
  if (!PLAIN_NAME.test(key)) return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}
