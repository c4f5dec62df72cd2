import type { TPathSegment } from '../ingress/types';

/** One entry of metadata.managedFields as the API server sends it. */
export type TManagedFieldsEntry = {
  manager?: string;
  operation?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
};

export type TChangeManager = {
  manager: string;
  operation: string | null;
  time: string | null;
  /** 'owner': the manager's fieldsV1 covers the path. 'latest-writer': nobody owns the path now
   * (typically a removed field), so this is the most recent writer other than the portal. */
  basis: 'owner' | 'latest-writer';
};

function isRec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whether a fieldsV1 set covers a field path. Property names are `f:<name>`; list items are keyed
 * by `k:{…}` or `v:…` which a path of indexes cannot name, so reaching a list (or a leaf `{}`, or
 * a `.` marker meaning "this field itself") counts as covering everything below it. Ingress lists
 * (rules, tls, paths) are atomic in the API, owned as a whole, which is the same thing.
 */
export function fieldsCover(fields: Record<string, unknown> | undefined, segments: readonly TPathSegment[]): boolean {
  if (!fields) return false;
  let node: Record<string, unknown> = fields;
  for (const seg of segments) {
    if (typeof seg === 'number') return true;
    const next = node[`f:${seg}`];
    if (!isRec(next)) return false;
    if (
      Object.keys(next).length === 0 ||
      '.' in next ||
      Object.keys(next).some((k) => k.startsWith('k:') || k.startsWith('v:') || k.startsWith('i:'))
    )
      return true;
    node = next;
  }
  return true;
}

/**
 * Which field manager most likely made a change at `segments`, from the live object's
 * managedFields. Cases:
 * - entries for the status subresource are ignored (status is not compared)
 * - managers whose fieldsV1 covers the path are candidates; a manager other than `selfManager`
 *   (the portal) wins over the portal, then the most recent `time` (same second: the later
 *   entry) wins → basis 'owner'
 * - no candidate (the field was removed, so nobody owns it): the most recent writer other than
 *   the portal → basis 'latest-writer'
 * - nothing usable (no managedFields, or only the portal) → null
 * On a real API server an Update transfers ownership of the fields it changed to its manager, so
 * the owner of a changed field is the one who changed it; the tie-breaks matter only for servers
 * (like the sandbox) that record coarser field sets.
 */
export function changeManager(
  managedFields: readonly TManagedFieldsEntry[] | undefined,
  segments: readonly TPathSegment[],
  selfManager: string,
): TChangeManager | null {
  // Times have one-second resolution; within the same second, a later entry is the later write.
  const entries = (managedFields ?? [])
    .map((m, index) => ({ ...m, index }))
    .filter((m) => typeof m.manager === 'string' && m.manager !== '' && !m.subresource);
  const byRecency = (a: (typeof entries)[number], b: (typeof entries)[number]) =>
    (b.time ?? '').localeCompare(a.time ?? '') || b.index - a.index;
  const owners = entries
    .filter((m) => fieldsCover(m.fieldsV1, segments))
    .sort((a, b) => Number(a.manager === selfManager) - Number(b.manager === selfManager) || byRecency(a, b));
  const owner = owners[0];
  if (owner) return { manager: owner.manager!, operation: owner.operation ?? null, time: owner.time ?? null, basis: 'owner' };
  const latest = entries.filter((m) => m.manager !== selfManager).sort(byRecency)[0];
  if (latest) return { manager: latest.manager!, operation: latest.operation ?? null, time: latest.time ?? null, basis: 'latest-writer' };
  return null;
}
