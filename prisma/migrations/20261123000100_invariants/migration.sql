-- Hand-written: the invariants PRODUCT.md says are enforced "in the database, where it can be".
-- Prisma's schema language cannot express these; schema.prisma points here.

-- Environment settings stay in range whatever writes them.
ALTER TABLE "environments"
  ADD CONSTRAINT "environments_required_approvals_range" CHECK ("required_approvals" BETWEEN 1 AND 10),
  ADD CONSTRAINT "environments_request_expiry_positive" CHECK ("request_expiry_hours" > 0),
  ADD CONSTRAINT "environments_name_format" CHECK ("name" ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$');

-- A role is held at most once per scope; NULL (global) counts as one scope.
CREATE UNIQUE INDEX "role_assignments_user_role_scope_key"
  ON "role_assignments" ("user_id", "role", "environment_id") NULLS NOT DISTINCT;

ALTER TABLE "revisions"
  ADD CONSTRAINT "revisions_number_positive" CHECK ("number" >= 1);

ALTER TABLE "change_requests"
  ADD CONSTRAINT "change_requests_current_revision_positive" CHECK ("current_revision" >= 1);

-- Invariant 1: a requester never reviews their own request, by any path (including direct SQL).
-- Invariant 2: a review is bound to the content hash of the revision it was given on.
CREATE FUNCTION "reviews_enforce_rules"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  req_requester UUID;
  rev_request UUID;
  rev_hash TEXT;
BEGIN
  SELECT "requester_id" INTO req_requester FROM "change_requests" WHERE "id" = NEW."change_request_id";
  IF req_requester = NEW."reviewer_id" THEN
    RAISE EXCEPTION 'a requester cannot review their own change request'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reviews_no_self_review';
  END IF;
  SELECT "change_request_id", "content_hash" INTO rev_request, rev_hash FROM "revisions" WHERE "id" = NEW."revision_id";
  IF rev_request IS DISTINCT FROM NEW."change_request_id" THEN
    RAISE EXCEPTION 'the revision does not belong to this change request'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reviews_revision_matches_request';
  END IF;
  IF rev_hash IS DISTINCT FROM NEW."content_hash" THEN
    RAISE EXCEPTION 'the review''s content hash does not match the revision it was given on'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reviews_hash_matches_revision';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "reviews_enforce_rules"
  BEFORE INSERT OR UPDATE ON "reviews"
  FOR EACH ROW EXECUTE FUNCTION "reviews_enforce_rules"();

-- Invariant 6: the audit history is append-only...
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_events_no_update_delete"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();

CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();

-- ...and a single chain: appends serialise on one advisory lock (held to the end of the
-- transaction), and each new event must name the current head as its predecessor.
CREATE FUNCTION "audit_events_link"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head TEXT;
BEGIN
  PERFORM pg_advisory_xact_lock(7245010);
  SELECT "hash" INTO head FROM "audit_events" ORDER BY "seq" DESC LIMIT 1;
  IF NEW."prev_hash" IS DISTINCT FROM COALESCE(head, 'genesis') THEN
    RAISE EXCEPTION 'audit chain fork: prev_hash % is not the head %', NEW."prev_hash", COALESCE(head, 'genesis')
      USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "audit_events_link"
  BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_link"();
