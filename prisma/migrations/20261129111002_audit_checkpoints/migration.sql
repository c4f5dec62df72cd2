-- Signed checkpoints of the audit chain head (issue 11, item 9): HMAC-SHA256 with a key that is
-- not in the database, so rewriting history and recomputing every hash no longer verifies.
CREATE TABLE "audit_checkpoints" (
    "id" BIGSERIAL NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "key_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "audit_checkpoints_seq_key" ON "audit_checkpoints"("seq");
