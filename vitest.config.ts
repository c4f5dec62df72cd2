import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Four tiers: `unit` (pure, beside the code), `component` (React components and hooks rendered in
// happy-dom with @testing-library/react, beside the component as *.test.tsx), `integration` (real
// PostgreSQL, the fake Kubernetes API server) and `real-cluster` (real PostgreSQL, a real
// kube-apiserver). e2e lives in Playwright (e2e/).
export default defineConfig({
  resolve: { alias: { '@': root } },
  test: {
    projects: [
      {
        resolve: { alias: { '@': root } },
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'sandbox/**/*.test.ts', 'e2e/fakes/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        resolve: { alias: { '@': root } },
        test: {
          name: 'component',
          include: ['components/**/*.test.tsx', 'lib/web/**/*.test.tsx'],
          exclude: ['node_modules/**'],
          environment: 'happy-dom',
          setupFiles: ['tests/component/setup.ts'],
        },
      },
      {
        resolve: { alias: { '@': root } },
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          exclude: ['node_modules/**'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          setupFiles: ['tests/integration/setup-env.ts'],
          // One database: files run one after another so TRUNCATE in one cannot hit another.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias: { '@': root } },
        test: {
          // A real kube-apiserver (tests/real-cluster/cluster-config.ts says where it comes from).
          name: 'real-cluster',
          include: ['tests/real-cluster/**/*.real.test.ts'],
          exclude: ['node_modules/**'],
          environment: 'node',
          globalSetup: ['tests/real-cluster/global-setup.ts'],
          setupFiles: ['tests/integration/setup-env.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
