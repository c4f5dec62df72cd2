import { afterAll, beforeAll } from 'vitest';
import { journeyScenarios } from './journey-scenarios';
import { clusterOrSkip } from './skip';
import { realTarget, type TTarget } from './targets';

// The shared journey on the real API server, as the portal's ServiceAccount with deploy/ installed
// and the namespace protected by the admission policy.
const cluster = clusterOrSkip('journey on the real API server');
let target: TTarget;

if (cluster) {
  beforeAll(async () => {
    target = await realTarget(cluster);
  }, 120_000);
  afterAll(async () => target?.stop());
  journeyScenarios('the real API server', () => target);
}
