-- Issue 18: comment threads on diff lines (replies, resolve, carry-over by content) and the
-- "request changes" review outcome.

-- A review that blocks approval of its revision until the requester revises (a new revision has
-- no such review, so the block lifts by construction). The request stays PENDING.
ALTER TYPE "ReviewDecision" ADD VALUE 'REQUEST_CHANGES';

ALTER TABLE "comments"
  -- A reply belongs to the thread started by its parent (a root comment of the same request).
  ADD COLUMN "parent_id" UUID,
  -- The anchored line's text when the thread was started: later revisions find the line by it.
  ADD COLUMN "anchor_text" TEXT,
  ADD COLUMN "resolved_at" TIMESTAMPTZ(3),
  ADD COLUMN "resolved_by_id" UUID,
  ADD CONSTRAINT "comments_parent_id_fkey" FOREIGN KEY ("parent_id")
    REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT "comments_resolved_by_id_fkey" FOREIGN KEY ("resolved_by_id")
    REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  -- Replies carry no anchor and no resolution of their own: the thread's root does.
  ADD CONSTRAINT "comments_reply_unanchored" CHECK (
    "parent_id" IS NULL OR ("line" IS NULL AND "side" IS NULL AND "anchor_text" IS NULL AND "resolved_at" IS NULL)
  ),
  ADD CONSTRAINT "comments_resolution_complete" CHECK (("resolved_at" IS NULL) = ("resolved_by_id" IS NULL)),
  ADD CONSTRAINT "comments_side_known" CHECK ("side" IS NULL OR "side" IN ('proposed', 'base')),
  ADD CONSTRAINT "comments_line_has_side" CHECK (("line" IS NULL) = ("side" IS NULL));

CREATE INDEX "comments_parent_id_idx" ON "comments"("parent_id");

-- A reply's parent is a root comment of the same change request (checked in the database too).
CREATE FUNCTION "comments_reply_same_request"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parent_request UUID;
  parent_parent UUID;
BEGIN
  IF NEW."parent_id" IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT "change_request_id", "parent_id" INTO parent_request, parent_parent FROM "comments" WHERE "id" = NEW."parent_id";
  IF parent_request IS DISTINCT FROM NEW."change_request_id" OR parent_parent IS NOT NULL THEN
    RAISE EXCEPTION 'a reply must answer a thread of the same change request'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'comments_reply_same_request';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "comments_reply_same_request"
  BEFORE INSERT OR UPDATE OF "parent_id", "change_request_id" ON "comments"
  FOR EACH ROW EXECUTE FUNCTION "comments_reply_same_request"();
