'use client';

import { useMemo } from 'react';
import { YamlDiff } from '@/components/requests/yaml-diff';
import type { TFinding } from '@/lib/domain/risk/types';

/** Last applied (left) against live (right), with the drift's findings marked on their lines. */
export function DriftDiff({ applied, live, findings }: { applied: string; live: string; findings: TFinding[] }) {
  const sides = useMemo(
    () => ({ left: findings.filter((f) => f.side === 'base'), right: findings.filter((f) => f.side !== 'base') }),
    [findings],
  );
  const none = useMemo(() => new Map<string, number>(), []);
  return (
    <YamlDiff
      oldValue={applied}
      newValue={live}
      leftTitle="Last applied through Ingress Gate"
      rightTitle="Live in the cluster"
      findings={sides}
      commentCounts={none}
    />
  );
}
