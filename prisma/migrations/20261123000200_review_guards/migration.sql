-- Hand-written: invariants the engine checked only in TypeScript until now.

-- A request's current revision exists (checked at commit, so a request and its first revision
-- can be written in one transaction in either order).
ALTER TABLE "change_requests"
  ADD CONSTRAINT "change_requests_current_revision_exists"
  FOREIGN KEY ("id", "current_revision") REFERENCES "revisions" ("change_request_id", "number")
  DEFERRABLE INITIALLY DEFERRED;

-- Invariants 2 and 3, at the source: a new review is only accepted on the current revision of a
-- PENDING request (stale revisions and closed requests cannot gain reviews by any path).
CREATE OR REPLACE FUNCTION "reviews_enforce_rules"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  req_requester UUID;
  req_status "ChangeStatus";
  req_current INTEGER;
  rev_request UUID;
  rev_hash TEXT;
  rev_number INTEGER;
BEGIN
  SELECT "requester_id", "status", "current_revision" INTO req_requester, req_status, req_current
    FROM "change_requests" WHERE "id" = NEW."change_request_id";
  IF req_requester = NEW."reviewer_id" THEN
    RAISE EXCEPTION 'a requester cannot review their own change request'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reviews_no_self_review';
  END IF;
  SELECT "change_request_id", "content_hash", "number" INTO rev_request, rev_hash, rev_number
    FROM "revisions" WHERE "id" = NEW."revision_id";
  IF rev_request IS DISTINCT FROM NEW."change_request_id" THEN
    RAISE EXCEPTION 'the revision does not belong to this change request'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reviews_revision_matches_request';
  END IF;
  IF rev_hash IS DISTINCT FROM NEW."content_hash" THEN
    RAISE EXCEPTION 'the review''s content hash does not match the revision it was given on'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reviews_hash_matches_revision';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF req_status IS DISTINCT FROM 'PENDING' THEN
      RAISE EXCEPTION 'only a pending change request can be reviewed (it is %)', req_status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'reviews_request_pending';
    END IF;
    IF rev_number IS DISTINCT FROM req_current THEN
      RAISE EXCEPTION 'revision % is not the current revision (%)', rev_number, req_current
        USING ERRCODE = 'check_violation', CONSTRAINT = 'reviews_current_revision';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
