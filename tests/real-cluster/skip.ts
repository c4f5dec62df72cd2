import { describe, inject, it } from 'vitest';
import type { TRunningCluster } from './cluster-config';

/** The tier's cluster, or registers one skipped test saying why there is none. */
export function clusterOrSkip(title: string): TRunningCluster | null {
  const cluster = inject('realCluster');
  if (!cluster) {
    describe(title, () => {
      it.skip(inject('realClusterSkipReason'), () => {});
    });
  }
  return cluster;
}
