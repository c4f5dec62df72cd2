import Link from 'next/link';
import { getActor, signOut } from '@/lib/web/auth';
import { navFor, roleLabels } from '@/lib/web/nav';
import { environmentNamesForHeader, needsMyReviewForHeader } from '@/lib/web/queries';

export async function Header() {
  const actor = await getActor();
  const names = actor ? await environmentNamesForHeader(actor) : new Map<string, string>();
  const roles = actor ? roleLabels(actor, names) : [];
  const needs = actor ? await needsMyReviewForHeader(actor) : { total: 0, named: 0 };
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="font-semibold tracking-tight text-slate-900">
          Ingress Gate
        </Link>
        {actor && (
          <nav aria-label="Main" className="flex flex-wrap gap-4 text-sm">
            {navFor(actor).map((item) => (
              <Link key={item.href} href={item.href} className="text-slate-700 hover:text-slate-950 hover:underline">
                {item.label}
              </Link>
            ))}
          </nav>
        )}
        <div className="flex w-full flex-wrap items-center gap-x-3 gap-y-2 text-sm lg:ml-auto lg:w-auto">
          {actor ? (
            <>
              {needs.total > 0 && (
                <Link
                  href="/?view=needs-review"
                  data-testid="needs-review-count"
                  className="whitespace-nowrap rounded-full bg-indigo-700 px-2.5 py-0.5 text-xs font-semibold text-white hover:bg-indigo-800"
                  title={needs.named ? `${needs.named} name you as a reviewer` : undefined}
                >
                  {needs.total} need{needs.total === 1 ? 's' : ''} your review{needs.named ? ` (${needs.named} named)` : ''}
                </Link>
              )}
              <span data-testid="current-user" className="w-full min-w-0 break-words sm:w-auto lg:text-right">
                <span className="font-medium">{actor.name}</span> <span className="break-all text-slate-500">({actor.email})</span>
                <span data-testid="current-roles" className="block text-xs text-slate-500">
                  {roles.length ? roles.join(', ') : 'no roles yet: ask an admin'}
                </span>
              </span>
              <Link href="/settings/tokens" className="whitespace-nowrap text-slate-700 hover:underline lg:ml-0">
                API tokens
              </Link>
              <Link href="/settings/notifications" className="text-slate-700 hover:underline">
                Notifications
              </Link>
              <form
                action={async () => {
                  'use server';
                  await signOut({ redirectTo: '/sign-in' });
                }}
              >
                <button type="submit" className="whitespace-nowrap rounded border border-slate-300 px-3 py-1 hover:bg-slate-100">
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <Link href="/sign-in" className="text-slate-700 hover:underline">
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
