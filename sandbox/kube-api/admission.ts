import type { TResourceInfo } from './resources';
import type { TStatus } from './status';
import type { TAdmissionPolicy } from './types';

/** What kube-apiserver v1.32 answers when a ValidatingAdmissionPolicy (binding of the same name) denies. */
export function admissionDenied(info: TResourceInfo, name: string, policy: TAdmissionPolicy, message: string): TStatus {
  const why = `ValidatingAdmissionPolicy '${policy.name}' with binding '${policy.name}' denied request: ${message}`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${info.resource}${info.group ? `.${info.group}` : ''} "${name}" is forbidden: ${why}`,
    reason: policy.reason,
    details: { name, group: info.group, kind: info.resource, causes: [{ message: why }] },
    code: policy.reason === 'Invalid' ? 422 : 403,
    // The real server's admission causes carry only a message (no reason, no field).
  } as unknown as TStatus;
}

/** The first policy that denies this write, as the Status to answer; null when all admit it. */
export function runAdmission(
  policies: readonly TAdmissionPolicy[],
  info: TResourceInfo,
  object: Record<string, unknown>,
  operation: 'CREATE' | 'UPDATE',
  user: string,
  name: string,
): TStatus | null {
  for (const policy of policies) {
    if (policy.resource !== info.resource) continue;
    const message = policy.deny(object, operation, user);
    if (message !== null) return admissionDenied(info, name, policy, message);
  }
  return null;
}
