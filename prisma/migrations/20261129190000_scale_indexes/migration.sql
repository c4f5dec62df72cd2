-- Issue 19: lists whose cost does not grow with the data.
--
-- Every list pages with a row-value keyset predicate — `(created_at, id) < ($1, $2)` ORDER BY
-- created_at DESC, id DESC (requests), `seq < $1` ORDER BY seq DESC (audit) — and each filter has an
-- index whose order is the list's order, so page 2,000 costs what page 1 costs, and a filter that
-- matches nothing is answered from its index instead of a backward scan of the whole table.
-- Text search (`ILIKE '%…%'`) is served by pg_trgm GIN indexes (pg_trgm is a trusted contrib
-- extension: the database owner may create it; it ships with Debian's PostgreSQL and with
-- embedded-postgres). fastupdate = off: new rows go into the index at insert, not into a pending
-- list that every search must read until the next vacuum (which made the planner price the index
-- above a sequential scan); inserts into these tables are a few per user action.
-- Plain CREATE INDEX (the runner applies a migration in a transaction): on a large installation
-- this blocks writes to the two tables for the seconds each build takes (1M audit events: ~10 s).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- change_requests: the keyset (created_at DESC, id DESC) behind each filter the inbox combines.
DROP INDEX "change_requests_created_at_idx";
CREATE INDEX "change_requests_created_at_id_idx" ON "change_requests"("created_at" DESC, "id" DESC);
DROP INDEX "change_requests_status_created_at_idx";
CREATE INDEX "change_requests_status_created_at_id_idx" ON "change_requests"("status", "created_at" DESC, "id" DESC);
DROP INDEX "change_requests_requester_id_created_at_idx";
CREATE INDEX "change_requests_requester_id_created_at_id_idx" ON "change_requests"("requester_id", "created_at" DESC, "id" DESC);
DROP INDEX "change_requests_environment_id_status_created_at_idx";
CREATE INDEX "change_requests_environment_id_status_created_at_id_idx" ON "change_requests"("environment_id", "status", "created_at" DESC, "id" DESC);
CREATE INDEX "change_requests_environment_id_created_at_id_idx" ON "change_requests"("environment_id", "created_at" DESC, "id" DESC);
-- Search: title or Ingress name containing the text, case-insensitive.
CREATE INDEX "change_requests_title_trgm_idx" ON "change_requests" USING gin ("title" gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX "change_requests_ingress_name_trgm_idx" ON "change_requests" USING gin ("ingress_name" gin_trgm_ops) WITH (fastupdate = off);

-- audit_events: each filter of the audit page, in seq order (the page is ORDER BY seq DESC).
DROP INDEX "audit_events_environment_id_occurred_at_idx";
CREATE INDEX "audit_events_environment_id_seq_idx" ON "audit_events"("environment_id", "seq");
DROP INDEX "audit_events_change_request_id_idx";
CREATE INDEX "audit_events_change_request_id_seq_idx" ON "audit_events"("change_request_id", "seq");
DROP INDEX "audit_events_action_occurred_at_idx";
-- COLLATE "C": an exact action and a prefix (`change-request.*` → LIKE 'change-request.%') both use it
-- whatever the database's collation (lib/server/audit/audit-query.ts writes the same COLLATE).
CREATE INDEX "audit_events_action_seq_idx" ON "audit_events"("action" COLLATE "C", "seq");
DROP INDEX "audit_events_actor_id_occurred_at_idx";
CREATE INDEX "audit_events_actor_id_seq_idx" ON "audit_events"("actor_id", "seq");
CREATE INDEX "audit_events_namespace_ingress_name_seq_idx" ON "audit_events"("namespace", "ingress_name", "seq");
CREATE INDEX "audit_events_ingress_name_seq_idx" ON "audit_events"("ingress_name", "seq");
-- The actor filter is a case-insensitive substring of the actor's label.
CREATE INDEX "audit_events_actor_label_trgm_idx" ON "audit_events" USING gin ("actor_label" gin_trgm_ops) WITH (fastupdate = off);
