-- Reviewer groups (issue 16): admin-managed sets of users a requester may name as reviewers. At
-- submission a named group's members who are eligible approvers of the environment (never the
-- requester: chosen_reviewers' trigger refuses that by any path) become chosen reviewers; the
-- group itself is recorded on the request for the page and the audit.

-- CreateTable
CREATE TABLE "reviewer_groups" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reviewer_groups_pkey" PRIMARY KEY ("id"),
    -- Lower-case slugs: what a requester types in YAML headers, query strings and forms.
    CONSTRAINT "reviewer_groups_name_check" CHECK ("name" ~ '^[a-z0-9][a-z0-9._-]{0,62}$')
);

-- CreateTable
CREATE TABLE "reviewer_group_members" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "group_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reviewer_group_members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chosen_reviewer_groups" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "change_request_id" UUID NOT NULL,
    "group_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chosen_reviewer_groups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reviewer_groups_name_key" ON "reviewer_groups"("name");
CREATE UNIQUE INDEX "reviewer_group_members_group_id_user_id_key" ON "reviewer_group_members"("group_id", "user_id");
CREATE INDEX "reviewer_group_members_user_id_idx" ON "reviewer_group_members"("user_id");
CREATE UNIQUE INDEX "chosen_reviewer_groups_change_request_id_group_id_key" ON "chosen_reviewer_groups"("change_request_id", "group_id");
CREATE INDEX "chosen_reviewer_groups_group_id_idx" ON "chosen_reviewer_groups"("group_id");

-- AddForeignKey
ALTER TABLE "reviewer_group_members" ADD CONSTRAINT "reviewer_group_members_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "reviewer_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "reviewer_group_members" ADD CONSTRAINT "reviewer_group_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "chosen_reviewer_groups" ADD CONSTRAINT "chosen_reviewer_groups_change_request_id_fkey" FOREIGN KEY ("change_request_id") REFERENCES "change_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "chosen_reviewer_groups" ADD CONSTRAINT "chosen_reviewer_groups_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "reviewer_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
