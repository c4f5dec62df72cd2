-- Issue 12: guard health. The worker's latest reading of each environment's admission guard
-- (lib/domain/guard/guard-health.ts: status, problems, protected/unprotected namespaces) and when.
ALTER TABLE "environments"
  ADD COLUMN "guard_health" JSONB,
  ADD COLUMN "guard_checked_at" TIMESTAMPTZ(3);
