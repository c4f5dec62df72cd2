import Link from 'next/link';
import { YamlDiff } from '@/components/requests/yaml-diff';
import { Card } from '@/components/ui/card';
import type { TLiveSync } from '@/lib/server/history/live-sync';

const BADGE: Record<TLiveSync['state'], { label: string; cls: string; help: string }> = {
  IN_SYNC: {
    label: 'In sync',
    cls: 'border-emerald-400 bg-emerald-50 text-emerald-900',
    help: 'The live object equals the last version approved and applied through Ingress Gate.',
  },
  DRIFTED: {
    label: 'Drifted',
    cls: 'border-amber-400 bg-amber-50 text-amber-900',
    help: 'The live object differs from the last approved version: someone changed it outside Ingress Gate.',
  },
  DELETED: {
    label: 'Deleted outside',
    cls: 'border-red-400 bg-red-50 text-red-900',
    help: 'The last approved version is gone from the cluster: it was deleted outside Ingress Gate.',
  },
  UNMANAGED: {
    label: 'Unmanaged',
    cls: 'border-slate-400 bg-slate-100 text-slate-800',
    help: 'It exists in the cluster but never went through Ingress Gate, so there is no approved version to compare with. Propose a change (or import it from the Drift page) to bring it under review.',
  },
  ABSENT: {
    label: 'Not in the cluster',
    cls: 'border-slate-400 bg-slate-100 text-slate-800',
    help: 'Nothing by this name exists in the cluster and nothing has been applied yet.',
  },
  UNREACHABLE: {
    label: 'Status unknown',
    cls: 'border-slate-400 bg-slate-100 text-slate-800',
    help: 'The cluster could not be asked.',
  },
};

export function LiveSyncBadge({ state }: { state: TLiveSync['state'] }) {
  const b = BADGE[state];
  return (
    <span
      data-testid="sync-state"
      data-state={state}
      className={`inline-flex items-center rounded border px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide ${b.cls}`}
    >
      {b.label}
    </span>
  );
}

/** The live manifest of an Ingress and its sync status against the last approved version. */
export function LiveSyncCard({ sync }: { sync: TLiveSync }) {
  const b = BADGE[sync.state];
  const detail = 'liveYaml' in sync ? sync : null;
  return (
    <Card id="live" testId="live" title="Live in the cluster">
      <div className="space-y-3">
        <p className="text-sm text-slate-700" data-testid="sync-help">
          {sync.state === 'UNREACHABLE' ? `${b.help} ${sync.message}` : b.help}
          {detail && detail.state === 'DRIFTED' && detail.changedFields > 0 && (
            <>
              {' '}
              {detail.changedFields} field{detail.changedFields === 1 ? '' : 's'} differ
              {detail.managers.length > 0 && (
                <>
                  , changed by <span className="font-mono">{detail.managers.join(', ')}</span>
                </>
              )}
              .
            </>
          )}
          {(sync.state === 'DRIFTED' || sync.state === 'DELETED' || sync.state === 'UNMANAGED') && (
            <>
              {' '}
              <Link href="/drift" className="text-blue-800 underline">
                Restore, adopt or import it on the Drift page
              </Link>
              .
            </>
          )}
        </p>
        {detail && (detail.state === 'DRIFTED' || detail.state === 'DELETED') && (
          <YamlDiff
            oldValue={detail.approvedYaml ?? ''}
            newValue={detail.liveYaml ?? ''}
            leftTitle="Last approved (applied through Ingress Gate)"
            rightTitle="Live in the cluster"
            findings={{ left: [], right: [] }}
            commentCounts={new Map()}
          />
        )}
        {detail?.liveYaml && (
          <details open={detail.state === 'UNMANAGED'}>
            <summary className="cursor-pointer text-sm font-medium">
              Live manifest{detail.state === 'IN_SYNC' ? ' (the same as the current applied version)' : ''}
            </summary>
            <pre
              data-testid="live-manifest"
              className="mt-2 overflow-x-auto rounded border border-slate-200 bg-slate-50 p-3 font-mono text-xs"
            >
              {detail.liveYaml}
            </pre>
          </details>
        )}
      </div>
    </Card>
  );
}
