-- Notifications (issue 16): chosen reviewers, the outbox, deliveries and their attempts,
-- per-environment channels, per-user email preferences, mail caught by the embedded SMTP server,
-- and the live-page trigger.

-- CreateTable
CREATE TABLE "chosen_reviewers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "change_request_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chosen_reviewers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "dedupe_key" TEXT,
    "change_request_id" UUID,
    "environment_id" UUID,
    "revision" INTEGER,
    "actor_id" UUID,
    "actor_label" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_deliveries_channel_check" CHECK ("channel" IN ('EMAIL', 'SLACK', 'WEBHOOK')),
    CONSTRAINT "notification_deliveries_status_check" CHECK ("status" IN ('PENDING', 'SENT', 'FAILED'))
);

-- CreateTable
CREATE TABLE "notification_attempts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "is_ok" BOOLEAN NOT NULL,
    "http_status" INTEGER,
    "error" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_channels" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "environment_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url_sealed" TEXT NOT NULL,
    "secret_sealed" TEXT,
    "events" TEXT[] NOT NULL,
    "is_enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_channels_kind_check" CHECK ("kind" IN ('SLACK', 'WEBHOOK'))
);

-- CreateTable
CREATE TABLE "notification_preferences" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "is_email_on" BOOLEAN NOT NULL,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "captured_mail" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "sender" TEXT NOT NULL,
    "recipients" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "captured_mail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "chosen_reviewers_change_request_id_user_id_key" ON "chosen_reviewers"("change_request_id", "user_id");
CREATE UNIQUE INDEX "notification_preferences_user_id_kind_key" ON "notification_preferences"("user_id", "kind");
CREATE INDEX "chosen_reviewers_user_id_idx" ON "chosen_reviewers"("user_id");
CREATE UNIQUE INDEX "notification_events_dedupe_key_key" ON "notification_events"("dedupe_key");
CREATE INDEX "notification_events_change_request_id_idx" ON "notification_events"("change_request_id");
CREATE UNIQUE INDEX "notification_deliveries_event_id_channel_recipient_key" ON "notification_deliveries"("event_id", "channel", "recipient");
CREATE INDEX "notification_deliveries_channel_created_at_idx" ON "notification_deliveries"("channel", "created_at" DESC);
CREATE UNIQUE INDEX "notification_attempts_delivery_id_number_key" ON "notification_attempts"("delivery_id", "number");
CREATE INDEX "notification_channels_environment_id_idx" ON "notification_channels"("environment_id");
CREATE INDEX "captured_mail_received_at_idx" ON "captured_mail"("received_at" DESC);

-- AddForeignKey
ALTER TABLE "chosen_reviewers" ADD CONSTRAINT "chosen_reviewers_change_request_id_fkey" FOREIGN KEY ("change_request_id") REFERENCES "change_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "chosen_reviewers" ADD CONSTRAINT "chosen_reviewers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "notification_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_attempts" ADD CONSTRAINT "notification_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "notification_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: a requester is never their own chosen reviewer (invariant 1's spirit, any path).
CREATE OR REPLACE FUNCTION "chosen_reviewers_not_requester"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "change_requests" WHERE "id" = NEW."change_request_id" AND "requester_id" = NEW."user_id") THEN
    RAISE EXCEPTION 'a requester cannot be a chosen reviewer of their own change request'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'chosen_reviewers_not_requester';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "chosen_reviewers_not_requester" BEFORE INSERT OR UPDATE ON "chosen_reviewers"
  FOR EACH ROW EXECUTE FUNCTION "chosen_reviewers_not_requester"();

-- Hand-written: live pages. Every change to a request (its row, or an audit event about it —
-- reviews, comments, applies all append one) notifies channel ingress_gate_live at COMMIT, so a
-- rolled-back change is never announced. Payload: {"r": request id, "e": environment id}.
CREATE OR REPLACE FUNCTION "notify_live_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  request_id UUID;
BEGIN
  IF TG_TABLE_NAME = 'change_requests' THEN
    request_id := NEW."id";
  ELSE
    request_id := NEW."change_request_id";
  END IF;
  IF request_id IS NOT NULL OR NEW."environment_id" IS NOT NULL THEN
    PERFORM pg_notify('ingress_gate_live', json_build_object('r', request_id, 'e', NEW."environment_id")::text);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "change_requests_notify_live" AFTER INSERT OR UPDATE ON "change_requests"
  FOR EACH ROW EXECUTE FUNCTION "notify_live_change"();
CREATE TRIGGER "audit_events_notify_live" AFTER INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "notify_live_change"();
