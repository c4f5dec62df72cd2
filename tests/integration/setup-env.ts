import { inject } from 'vitest';

// Runs before each integration test file, before any lib/server module reads env().
process.env.DATABASE_URL = inject('databaseUrl');
process.env.AUTH_SECRET ??= 'integration-test-auth-secret-0123456789abcdef';
process.env.INGRESS_GATE_SECRET_KEY ??= 'integration-test-secret-key-0123456789abcdef';
(process.env as Record<string, string>).NODE_ENV = 'test';
