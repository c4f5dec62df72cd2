import type { TestProject } from 'vitest/node';
import { ensureQueueSchema } from '@/lib/server/jobs/queue';
import { prepareTestDatabase } from '../integration/test-database';
import { clusterConfig, startCluster, stopCluster, type TRunningCluster } from './cluster-config';

declare module 'vitest' {
  // Module augmentation needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    realCluster: TRunningCluster | null;
    realClusterSkipReason: string;
  }
}

/** One database and one cluster for the whole tier (the files run one after another). */
export default async function setup(project: TestProject) {
  const database = await prepareTestDatabase('ingress_gate_real_cluster', 54341);
  await ensureQueueSchema(database.url);
  project.provide('databaseUrl', database.url);
  const config = clusterConfig();
  let cluster: TRunningCluster | null = null;
  if (config.kind === 'none') {
    console.log(`real-cluster tier ${config.reason}`);
    project.provide('realClusterSkipReason', config.reason);
  } else {
    const started = performance.now();
    cluster = await startCluster(config);
    console.log(`real-cluster tier: ${cluster.server} ready in ${Math.round(performance.now() - started)} ms (${config.kind})`);
    project.provide('realClusterSkipReason', '');
  }
  project.provide('realCluster', cluster);
  return async () => {
    if (cluster) await stopCluster(cluster);
    await database.stop();
  };
}
