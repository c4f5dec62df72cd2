-- Issue 17: change windows and scheduled applies, promotion paths and the prior-stage policy.

-- SCHEDULED: approved, waiting for the change window or the requester's "not before".
ALTER TYPE "ChangeStatus" ADD VALUE 'SCHEDULED' AFTER 'APPROVED';

ALTER TABLE "environments"
  ADD COLUMN "promotion_order" INTEGER,
  ADD COLUMN "change_windows" JSONB NOT NULL DEFAULT '{}',
  ADD COLUMN "promotion_rules" JSONB NOT NULL DEFAULT '{}',
  ADD CONSTRAINT "environments_promotion_order_positive" CHECK ("promotion_order" IS NULL OR "promotion_order" >= 1);
CREATE UNIQUE INDEX "environments_promotion_order_key" ON "environments"("promotion_order");

ALTER TABLE "change_requests"
  ADD COLUMN "not_before" TIMESTAMPTZ(3),
  ADD COLUMN "scheduled_for" TIMESTAMPTZ(3),
  ADD COLUMN "window_override_at" TIMESTAMPTZ(3),
  ADD COLUMN "window_override_reason" TEXT,
  ADD COLUMN "extra_approvals" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "promoted_from_id" UUID,
  -- The prior-stage policy asks for at most one approval more.
  ADD CONSTRAINT "change_requests_extra_approvals_range" CHECK ("extra_approvals" BETWEEN 0 AND 1),
  -- An override always carries its reason.
  ADD CONSTRAINT "change_requests_window_override_reason" CHECK (
    ("window_override_at" IS NULL) = ("window_override_reason" IS NULL)
    AND ("window_override_reason" IS NULL OR length(btrim("window_override_reason")) > 0)
  ),
  ADD CONSTRAINT "change_requests_promoted_from_id_fkey" FOREIGN KEY ("promoted_from_id")
    REFERENCES "applied_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;
