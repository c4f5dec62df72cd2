-- Issue 12.4: an approved change keeps waiting while its cluster is unreachable, up to its expiry.
-- When the current wait began (the first unreachable attempt of this approval); null when not waiting.
ALTER TABLE "change_requests" ADD COLUMN "cluster_waiting_since" TIMESTAMPTZ(3);
