import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '@/lib/domain/ingress/k8s-names';
import type { TIssue } from '@/lib/domain/ingress/types';
import { validateIngressObject } from '@/lib/domain/ingress/validate-ingress';
import type { TResourceInfo } from './resources';
import { badRequest, invalid, type TStatus, type TStatusCause } from './status';

const BAD_REQUEST_CODES = new Set([
  'not-an-object',
  'wrong-kind',
  'removed-api-version',
  'unsupported-api-version',
  'type',
  'annotation-not-string',
]);
const CAUSE_REASON: Record<string, string> = {
  required: 'FieldValueRequired',
  'not-supported': 'FieldValueNotSupported',
  'too-long': 'FieldValueTooLong',
  'annotations-too-large': 'FieldValueTooLong',
};

function nameProblems(info: TResourceInfo, name: string): string[] {
  if (info.nameRule === 'dns1035-label') return isDns1035Label(name);
  if (info.nameRule === 'dns1123-label') return isDns1123Label(name);
  return isDns1123Subdomain(name);
}

type TValidation = { ok: true } | { ok: false; status: TStatus };

/** Mirrors the API server's decode + validation stages for a write. */
export function validateWrite(info: TResourceInfo, namespace: string | null, body: Record<string, unknown>): TValidation {
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (body.kind !== undefined && body.kind !== info.kind) {
    return {
      ok: false,
      status: badRequest(`the server could not find the requested resource: kind ${JSON.stringify(body.kind)} is not ${info.kind}`),
    };
  }
  if (info.resource === 'ingresses') {
    // The domain validator is written to match pkg/apis/networking/validation; reusing it keeps
    // the fake and the portal's own pre-checks from drifting apart.
    const issues = validateIngressObject(
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...body },
      { namespace: namespace ?? undefined },
    );
    const decode = issues.find((i) => BAD_REQUEST_CODES.has(i.code));
    if (decode)
      return { ok: false, status: badRequest(`Ingress in version "v1" cannot be handled as a Ingress: ${decode.path}: ${decode.message}`) };
    if (issues.some((i) => i.code === 'namespace-mismatch'))
      return { ok: false, status: badRequest('the namespace of the provided object does not match the namespace sent on the request') };
    // Unknown fields: the default fieldValidation (Warn) drops them, it does not fail the write.
    const real = issues.filter((i: TIssue) => i.code !== 'unknown-field');
    if (real.length) {
      const causes: TStatusCause[] = real.map((i) => ({
        reason: CAUSE_REASON[i.code] ?? 'FieldValueInvalid',
        message: i.message,
        field: i.path,
      }));
      return { ok: false, status: invalid(info, name, causes) };
    }
    return { ok: true };
  }
  if (meta.namespace !== undefined && namespace !== null && meta.namespace !== namespace) {
    return { ok: false, status: badRequest('the namespace of the provided object does not match the namespace sent on the request') };
  }
  if (!name)
    return {
      ok: false,
      status: invalid(info, name, [
        { reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' },
      ]),
    };
  const problems = nameProblems(info, name);
  if (problems.length) {
    return {
      ok: false,
      status: invalid(
        info,
        name,
        problems.map((m) => ({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(name)}: ${m}`,
          field: 'metadata.name',
        })),
      ),
    };
  }
  return { ok: true };
}
