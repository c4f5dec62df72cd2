import { inject } from 'vitest';

// Runs before each integration test file, before any lib/server module reads env().
process.env.DATABASE_URL = inject('databaseUrl');
// Random-looking test keys: start-up refuses placeholders (lib/domain/auth/secret-strength.ts).
process.env.AUTH_SECRET ??= 'amy9ZtUPy+ZjPfWmnNEq56TETpUx38IB8QOxSwbjgWc=';
process.env.INGRESS_GATE_SECRET_KEY ??= 'MkP+8SD89mknDbK4NycN++M0uECXr0svIGElTJhDDXA=';
(process.env as Record<string, string>).NODE_ENV = 'test';
