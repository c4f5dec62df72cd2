import { hashNormalised, normaliseIngress } from '../ingress/normalise-ingress';
import type { TIngress } from '../ingress/types';
import { changeManager, type TChangeManager, type TManagedFieldsEntry } from './change-manager';
import { fieldChanges, type TFieldChange } from './field-changes';

export type TDriftState = 'IN_SYNC' | 'DRIFTED' | 'DELETED' | 'UNMANAGED';

export type TDriftField = Omit<TFieldChange, 'segments'> & { manager: TChangeManager | null };

export type TDriftComparison = {
  /** null: nothing to track (never applied through the portal and not in the cluster). */
  state: TDriftState | null;
  /** Why, in one phrase (shown on the drift page and in the audit event). */
  reason: 'in-sync' | 'changed' | 'deleted' | 'recreated' | 'never-applied' | 'absent';
  fields: TDriftField[];
  /** Distinct managers named by `fields`, most frequent first. */
  managers: string[];
  appliedHash: string | null;
  liveHash: string | null;
  /** Canonical forms (status, server-set metadata and the kubectl last-applied annotation dropped). */
  applied: TIngress | null;
  live: TIngress | null;
};

/**
 * Compares the live Ingress with the last version applied through the portal.
 * `lastApplied` is undefined when the portal never applied this Ingress, `{ manifest: null }`
 * when the last thing it did was delete it.
 * Cases:
 * - never applied, absent → state null (nothing to track)
 * - never applied, live → UNMANAGED (exists in a managed namespace, never went through review)
 * - applied, absent → DELETED (deleted outside the portal)
 * - deleted through the portal, absent → IN_SYNC
 * - deleted through the portal, live → DRIFTED, reason 'recreated' (created again outside it)
 * - both present: canonical forms equal → IN_SYNC; else DRIFTED with the differing leaf fields
 *   (applied → live) and, per field, the managedFields manager that made the change
 * Compared in canonical form, so key order, quoting, defaults the server omits, `status`,
 * server-set metadata (resourceVersion, generation, managedFields, …) and the last-applied
 * annotation never count as drift. Pure: `selfManager` is the portal's field manager name.
 */
export function compareDrift(
  lastApplied: { manifest: TIngress | null } | undefined,
  liveObject: TIngress | null,
  selfManager: string,
): TDriftComparison {
  const applied = lastApplied?.manifest ? normaliseIngress(lastApplied.manifest) : null;
  const live = liveObject ? normaliseIngress(liveObject) : null;
  const appliedHash = applied ? hashNormalised(applied) : null;
  const liveHash = live ? hashNormalised(live) : null;
  const base = { appliedHash, liveHash, applied, live };
  const managed = (liveObject?.metadata.managedFields ?? []) as TManagedFieldsEntry[];

  if (!lastApplied) {
    return {
      ...base,
      state: live ? 'UNMANAGED' : null,
      reason: live ? 'never-applied' : 'absent',
      fields: [],
      managers: live ? distinct([changeManager(managed, [], selfManager)]) : [],
    };
  }
  if (!applied) {
    if (!live) return { ...base, state: 'IN_SYNC', reason: 'in-sync', fields: [], managers: [] };
    const manager = changeManager(managed, [], selfManager);
    return {
      ...base,
      state: 'DRIFTED',
      reason: 'recreated',
      fields: [{ path: '', change: 'added', before: null, after: live, manager }],
      managers: distinct([manager]),
    };
  }
  if (!live)
    return {
      ...base,
      state: 'DELETED',
      reason: 'deleted',
      fields: [{ path: '', change: 'removed', before: applied, after: null, manager: null }],
      managers: [],
    };
  if (appliedHash === liveHash) return { ...base, state: 'IN_SYNC', reason: 'in-sync', fields: [], managers: [] };

  const fields = fieldChanges(applied, live).map(({ segments, ...f }) => ({
    ...f,
    manager: changeManager(managed, segments, selfManager),
  }));
  return { ...base, state: 'DRIFTED', reason: 'changed', fields, managers: distinct(fields.map((f) => f.manager)) };
}

function distinct(managers: (TChangeManager | null)[]): string[] {
  const counts = new Map<string, number>();
  for (const m of managers) if (m) counts.set(m.manager, (counts.get(m.manager) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}
