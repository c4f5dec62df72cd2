import { fieldChanges } from '@/lib/domain/drift/field-changes';
import { diffIngress } from '@/lib/domain/ingress/diff-ingress';
import { contentHash, normaliseIngress } from '@/lib/domain/ingress/normalise-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import type { TLiveIngress } from '../kube/kube-types';

/** Whether the live object already is what this revision would write (a write whose record was lost). */
export function isAlreadyApplied(action: string, proposed: TIngress | null, live: TLiveIngress | null): boolean {
  if (action === 'DELETE') return live === null;
  if (!live || !proposed) return false;
  return contentHash(live) === contentHash(proposed);
}

export function describeMove(
  base: TIngress | null,
  live: TLiveIngress | null,
  baseRv: string | null,
): { message: string; details: Record<string, unknown> } {
  const target = base ? `${base.metadata.namespace}/${base.metadata.name}` : 'the Ingress';
  if (!live)
    return {
      message: `${target} was deleted in the cluster after review; nothing was written. Rebase to propose it again.`,
      details: { moved: 'deleted' },
    };
  if (!base)
    return {
      message: `${live.metadata.namespace}/${live.metadata.name} was created in the cluster after review; nothing was written. Rebase onto it.`,
      details: { moved: 'created', resourceVersion: live.metadata.resourceVersion },
    };
  const diff = diffIngress(normaliseIngress(base), normaliseIngress(live));
  // The fields that moved, as a reviewer sees them; an edit only of fields the normaliser hides
  // (e.g. last-applied-configuration) is named as such rather than left unexplained.
  const fields = fieldChanges(normaliseIngress(base), normaliseIngress(live)).map((f) => f.path);
  const moved = fields.length
    ? `${fields.slice(0, 5).join(', ')}${fields.length > 5 ? ` and ${fields.length - 5} more` : ''}`
    : 'no reviewed field (only metadata the portal does not review)';
  const manager =
    (live.metadata.managedFields as { manager?: string }[] | undefined)
      ?.map((m) => m.manager)
      .filter(Boolean)
      .at(-1) ?? null;
  return {
    message: `${target} changed in the cluster after review: ${moved} (resourceVersion ${baseRv} → ${live.metadata.resourceVersion}${manager ? `, last written by ${manager}` : ''}); nothing was written. Rebase and get new approvals.`,
    details: {
      moved: 'changed',
      fields,
      before: { resourceVersion: baseRv },
      after: { resourceVersion: live.metadata.resourceVersion },
      manager,
      diff,
    },
  };
}
