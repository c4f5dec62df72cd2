'use client';

import { YamlDiff } from './yaml-diff';

/**
 * Shown when a link (an email, Slack) named a revision that is no longer current: says so, and
 * shows what changed between the revision the reader was sent and the current one. Approvals
 * given on the old revision do not count for the new one.
 */
export function RevisedSince({
  sent,
  current,
  sentYaml,
  currentYaml,
}: {
  sent: number;
  current: number;
  sentYaml: string;
  currentYaml: string;
}) {
  return (
    <section
      role="status"
      data-testid="revised-since"
      className="space-y-2 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
    >
      <p className="font-medium">
        You were sent revision {sent}; the request has been revised since and is now at revision {current}. Approvals of revision {sent} no
        longer count — review the current revision.
      </p>
      <details>
        <summary className="cursor-pointer">
          What changed from revision {sent} to {current}
        </summary>
        <div className="mt-2 bg-white">
          <YamlDiff
            oldValue={sentYaml}
            newValue={currentYaml}
            leftTitle={`Revision ${sent}`}
            rightTitle={`Revision ${current}`}
            findings={{ left: [], right: [] }}
            commentCounts={new Map()}
          />
        </div>
      </details>
    </section>
  );
}
