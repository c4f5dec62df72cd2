import { afterAll, beforeAll } from 'vitest';
import { journeyScenarios } from '../../real-cluster/journey-scenarios';
import { emulatorTarget, type TTarget } from '../../real-cluster/targets';

// The real-cluster tier's journey, run against the emulator (sandbox/kube-api via e2e/fakes/fake-kube-api.ts): one
// scenario list, two targets, so the emulator keeps behaving as the real API server does.
let target: TTarget;
beforeAll(async () => {
  target = await emulatorTarget();
});
afterAll(async () => target?.stop());
journeyScenarios('the emulator', () => target);
