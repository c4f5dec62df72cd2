-- Issue 11 (part A): cluster identity per environment, scoped and expiring API tokens.

ALTER TABLE "environments"
  ADD COLUMN "cluster_uid" TEXT,
  ADD COLUMN "cluster_ca_sha256" TEXT,
  ADD COLUMN "cluster_checked_at" TIMESTAMPTZ(3);

CREATE TYPE "TokenScope" AS ENUM ('READ', 'SUBMIT', 'REVIEW', 'ADMIN');

-- Tokens made before scopes existed acted as their owner in everything. They keep what a pipeline
-- uses (read, submit, review) and lose admin; a token that never expired now expires 90 days from
-- this migration (or keeps its own, earlier expiry).
ALTER TABLE "api_tokens" ADD COLUMN "scopes" "TokenScope"[];
UPDATE "api_tokens" SET "scopes" = ARRAY['READ', 'SUBMIT', 'REVIEW']::"TokenScope"[];
ALTER TABLE "api_tokens" ALTER COLUMN "scopes" SET NOT NULL;
ALTER TABLE "api_tokens"
  ADD CONSTRAINT "api_tokens_scopes_not_empty" CHECK (cardinality("scopes") >= 1);

UPDATE "api_tokens" SET "expires_at" = now() + interval '90 days' WHERE "expires_at" IS NULL;
ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" SET NOT NULL;
