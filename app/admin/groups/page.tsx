import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/admin/action-form';
import { ErrorNote } from '@/components/ui/error-note';
import { input, label } from '@/components/ui/field';
import { can } from '@/lib/domain/authz/permissions';
import { listReviewerGroups } from '@/lib/server/reviewer-groups/manage-reviewer-groups';
import {
  addReviewerGroupMemberAction,
  createReviewerGroupAction,
  deleteReviewerGroupAction,
  removeReviewerGroupMemberAction,
} from '@/lib/web/actions/reviewer-group-actions';
import { requireActor } from '@/lib/web/auth';

export const metadata: Metadata = { title: 'Reviewer groups' };
export const dynamic = 'force-dynamic';

/** Admin-managed sets of users a requester may name as reviewers (issue 16). */
export default async function ReviewerGroupsPage() {
  const actor = await requireActor('/admin/groups');
  if (!can(actor, 'user.manage', 'global'))
    return <ErrorNote testId="forbidden">Only admins of every environment manage reviewer groups.</ErrorNote>;
  const groups = await listReviewerGroups(actor);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin" className="text-sm text-blue-700 hover:underline">
          ← Administration
        </Link>
        <h1 className="text-2xl font-semibold">Reviewer groups</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          A requester may name a group as well as people. When they submit, the group&apos;s members who may approve in the request&apos;s
          environment (never the requester) are asked for review: emailed, and listed under their &ldquo;Needs my review&rdquo;. A group
          with nobody who may approve there is refused. Membership counts as it is at submission.
        </p>
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 text-lg font-semibold">New group</h2>
        <ActionForm
          action={createReviewerGroupAction}
          submitLabel="Create group"
          testId="create-group"
          keepValues
          className="grid max-w-xl gap-2"
        >
          <label className={label}>
            Name (lower case, e.g. sre-oncall)
            <input name="name" className={input} maxLength={63} autoComplete="off" />
          </label>
          <label className={label}>
            Description
            <input name="description" className={input} maxLength={500} />
          </label>
        </ActionForm>
      </section>
      {groups.length === 0 && <p className="text-sm text-slate-600">No groups yet.</p>}
      <ul className="space-y-3">
        {groups.map((g) => (
          <li key={g.id} data-testid="reviewer-group" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
            <div className="flex flex-wrap items-center gap-3">
              <span className="font-medium" data-testid="reviewer-group-name">
                {g.name}
              </span>
              {g.description && <span className="text-sm text-slate-600">{g.description}</span>}
              <ActionForm action={deleteReviewerGroupAction} submitLabel="Delete group" className="ml-auto flex items-center gap-2">
                <input type="hidden" name="groupId" value={g.id} />
              </ActionForm>
            </div>
            {g.members.length === 0 ? (
              <p className="text-sm text-slate-600">No members.</p>
            ) : (
              <ul className="space-y-1" aria-label={`Members of ${g.name}`}>
                {g.members.map((m) => (
                  <li key={m.id} data-testid="reviewer-group-member" className="flex flex-wrap items-center gap-2 text-sm">
                    <span>{m.name}</span>
                    <span className="text-slate-600">{m.email}</span>
                    {!m.isActive && <span className="rounded bg-slate-200 px-1.5 text-xs">deactivated</span>}
                    <ActionForm
                      action={removeReviewerGroupMemberAction}
                      submitLabel={`Remove ${m.email}`}
                      className="ml-auto flex items-center gap-2"
                    >
                      <input type="hidden" name="groupId" value={g.id} />
                      <input type="hidden" name="userId" value={m.id} />
                    </ActionForm>
                  </li>
                ))}
              </ul>
            )}
            <ActionForm
              action={addReviewerGroupMemberAction}
              submitLabel="Add member"
              keepValues
              className="flex flex-wrap items-end gap-2"
            >
              <input type="hidden" name="groupId" value={g.id} />
              <label className={label}>
                Member&apos;s email
                <input name="email" type="email" className={input} autoComplete="off" />
              </label>
            </ActionForm>
          </li>
        ))}
      </ul>
    </div>
  );
}
