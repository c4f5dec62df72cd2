import { Prisma } from '@/lib/generated/prisma/client';
import { db } from '../db/client';
import { promotionFactsSql, type TPromotionFacts } from '../promotion/promotion-info';

/**
 * Everything the request page reads, in ONE statement (issue 19, "one read per fact"): the
 * request with its environment, requester and rolled-back request; its revisions, reviews,
 * comments, applied versions, chosen reviewers and audit timeline as JSON arrays; which of its
 * reviewers (and the viewer) are eligible approvers now; and the promotion facts. Each row is read
 * once — before, the page read the request twice, reviews twice, revisions two or three times and
 * eligible approvers twice in 23 statements. The approval state is computed from these rows by the
 * domain rule (approvalState), exactly as quorum.ts computes it from its own reads inside a
 * transaction.
 */
function readModelSql(id: string, viewerId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT cr.id::text, cr.number, cr.title, cr.justification, cr.status::text, cr.status_reason AS "statusReason",
           cr.action::text, cr.kind::text, cr.namespace, cr.ingress_name AS "ingressName", cr.max_severity::text AS "maxSeverity",
           cr.auto_approved AS "autoApproved", cr.apply_attempts AS "applyAttempts", cr.next_attempt_at AS "nextAttemptAt",
           cr.created_at AS "createdAt", cr.updated_at AS "updatedAt", cr.approved_at AS "approvedAt", cr.applied_at AS "appliedAt",
           cr.expires_at AS "expiresAt", cr.not_before AS "notBefore", cr.scheduled_for AS "scheduledFor",
           cr.window_override_at AS "windowOverrideAt", cr.window_override_reason AS "windowOverrideReason",
           cr.extra_approvals AS "extraApprovals", cr.current_revision AS "currentRevision",
           cr.environment_id::text AS "environmentId", cr.requester_id::text AS "requesterId",
           json_build_object('id', e.id, 'name', e.name, 'isProduction', e.is_production, 'requiredApprovals', e.required_approvals,
                             'connectionKind', e.connection_kind, 'rollbackPreApproved', e.rollback_pre_approved) AS environment,
           e.change_windows AS "changeWindows",
           json_build_object('id', u.id, 'name', u.name, 'email', u.email) AS requester,
           (SELECT json_build_object('id', rb.id, 'number', rb.number, 'title', rb.title) FROM change_requests rb WHERE rb.id = cr.rollback_of_id) AS "rollbackOf",
           (SELECT coalesce(json_agg(json_build_object('id', v.id, 'number', v.number, 'contentHash', v.content_hash, 'createdAt', v.created_at,
                      'author', json_build_object('name', a.name, 'email', a.email), 'proposedYaml', v.proposed_yaml, 'baseYaml', v.base_yaml,
                      'baseResourceVersion', v.base_resource_version, 'analysis', v.analysis) ORDER BY v.number), '[]')
              FROM revisions v JOIN users a ON a.id = v.author_id WHERE v.change_request_id = cr.id) AS revisions,
           (SELECT coalesce(json_agg(json_build_object('id', r.id, 'reviewer', json_build_object('id', ru.id, 'name', ru.name, 'email', ru.email),
                      'decision', r.decision, 'revision', rv.number, 'contentHash', r.content_hash, 'comment', r.comment, 'createdAt', r.created_at)
                      ORDER BY r.created_at), '[]')
              FROM reviews r JOIN users ru ON ru.id = r.reviewer_id JOIN revisions rv ON rv.id = r.revision_id WHERE r.change_request_id = cr.id) AS reviews,
           (SELECT coalesce(json_agg(eu.id::text), '[]') FROM users eu
             WHERE (eu.id = ${viewerId}::uuid OR eu.id IN (SELECT reviewer_id FROM reviews WHERE change_request_id = cr.id)) AND eu.is_active
               AND EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.user_id = eu.id AND ra.role = 'APPROVER'
                             AND (ra.environment_id IS NULL OR ra.environment_id = cr.environment_id))) AS eligible,
           (SELECT coalesce(json_agg(json_build_object('id', c.id, 'author', json_build_object('name', ca.name, 'email', ca.email), 'body', c.body,
                      'line', c.line, 'side', c.side, 'revision', cv.number, 'createdAt', c.created_at, 'parentId', c.parent_id,
                      'anchorText', c.anchor_text, 'resolvedAt', c.resolved_at,
                      'resolvedBy', CASE WHEN rbu.id IS NULL THEN NULL ELSE json_build_object('name', rbu.name) END) ORDER BY c.created_at), '[]')
              FROM comments c JOIN users ca ON ca.id = c.author_id LEFT JOIN revisions cv ON cv.id = c.revision_id
                   LEFT JOIN users rbu ON rbu.id = c.resolved_by_id
             WHERE c.change_request_id = cr.id) AS comments,
           (SELECT coalesce(json_agg(json_build_object('id', av.id, 'revisionNumber', av.revision_number, 'resourceVersion', av.resource_version,
                      'appliedAt', av.applied_at) ORDER BY av.applied_at DESC), '[]')
              FROM applied_versions av WHERE av.change_request_id = cr.id) AS "appliedVersions",
           (SELECT coalesce(json_agg(json_build_object('id', cu.id, 'name', cu.name, 'email', cu.email) ORDER BY ch.created_at), '[]')
              FROM chosen_reviewers ch JOIN users cu ON cu.id = ch.user_id WHERE ch.change_request_id = cr.id) AS "chosenReviewers",
           (SELECT coalesce(json_agg(json_build_object('id', rg.id, 'name', rg.name) ORDER BY cg.created_at), '[]')
              FROM chosen_reviewer_groups cg JOIN reviewer_groups rg ON rg.id = cg.group_id WHERE cg.change_request_id = cr.id) AS "chosenReviewerGroups",
           (SELECT coalesce(json_agg(json_build_object('seq', t.seq::text, 'occurredAt', t.occurred_at, 'actor', t.actor_label, 'action', t.action,
                      'reason', t.reason, 'details', t.details) ORDER BY t.seq), '[]')
              FROM audit_events t WHERE t.change_request_id = cr.id) AS timeline,
           ${promotionFactsSql()} AS promotion
      FROM change_requests cr
      JOIN environments e ON e.id = cr.environment_id
      JOIN users u ON u.id = cr.requester_id
     WHERE cr.id = ${id}::uuid`;
}

type TPerson = { id: string; name: string; email: string };
type TJsonDate = string;

export type TReadModelRow = {
  id: string;
  number: number;
  title: string;
  justification: string;
  status: 'PENDING' | 'APPROVED' | 'SCHEDULED' | 'APPLYING' | 'APPLIED' | 'REJECTED' | 'CANCELLED' | 'STALE' | 'FAILED' | 'EXPIRED';
  statusReason: string | null;
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  kind: 'CHANGE' | 'ROLLBACK' | 'RESTORE' | 'ADOPT';
  namespace: string;
  ingressName: string;
  maxSeverity: 'NONE' | 'INFO' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
  autoApproved: boolean;
  applyAttempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  approvedAt: Date | null;
  appliedAt: Date | null;
  expiresAt: Date | null;
  notBefore: Date | null;
  scheduledFor: Date | null;
  windowOverrideAt: Date | null;
  windowOverrideReason: string | null;
  extraApprovals: number;
  currentRevision: number;
  environmentId: string;
  requesterId: string;
  environment: {
    id: string;
    name: string;
    isProduction: boolean;
    requiredApprovals: number;
    connectionKind: 'SANDBOX' | 'KUBECONFIG_FILE' | 'KUBECONFIG_INLINE' | 'IN_CLUSTER';
    rollbackPreApproved: boolean;
  };
  changeWindows: unknown;
  requester: TPerson;
  rollbackOf: { id: string; number: number; title: string } | null;
  revisions: {
    id: string;
    number: number;
    contentHash: string;
    createdAt: TJsonDate;
    author: Omit<TPerson, 'id'>;
    proposedYaml: string;
    baseYaml: string;
    baseResourceVersion: string | null;
    analysis: unknown;
  }[];
  reviews: {
    id: string;
    reviewer: TPerson;
    decision: 'APPROVE' | 'REJECT' | 'REQUEST_CHANGES';
    revision: number;
    contentHash: string;
    comment: string;
    createdAt: TJsonDate;
  }[];
  eligible: string[];
  comments: {
    id: string;
    author: Omit<TPerson, 'id'>;
    body: string;
    line: number | null;
    side: string | null;
    revision: number | null;
    createdAt: TJsonDate;
    /** A reply's thread root; roots carry the anchor text and the resolution. */
    parentId: string | null;
    anchorText: string | null;
    resolvedAt: TJsonDate | null;
    resolvedBy: { name: string } | null;
  }[];
  appliedVersions: { id: string; revisionNumber: number | null; resourceVersion: string | null; appliedAt: TJsonDate }[];
  chosenReviewers: TPerson[];
  chosenReviewerGroups: { id: string; name: string }[];
  timeline: {
    seq: string;
    occurredAt: TJsonDate;
    actor: string;
    action: string;
    reason: string | null;
    details: Record<string, unknown>;
  }[];
  promotion: TPromotionFacts;
};

/** The request page's rows, or null when there is no such request. One statement. */
export async function readChangeRequest(id: string, viewerId: string): Promise<TReadModelRow | null> {
  const rows = await db().$queryRaw<TReadModelRow[]>(readModelSql(id, viewerId));
  return rows[0] ?? null;
}
