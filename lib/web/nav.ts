import { can, type TActor } from '@/lib/domain/authz/permissions';

export type TNavItem = { href: string; label: string };

/** The sections an actor may open, in header order. */
export function navFor(actor: TActor): TNavItem[] {
  const items: TNavItem[] = [];
  if (can(actor, 'change-request.view')) items.push({ href: '/', label: 'Requests' });
  if (can(actor, 'change-request.submit')) items.push({ href: '/requests/new', label: 'New request' });
  if (can(actor, 'ingress.view')) items.push({ href: '/environments', label: 'Environments' });
  if (can(actor, 'drift.view')) items.push({ href: '/drift', label: 'Drift' });
  if (can(actor, 'audit.view')) items.push({ href: '/audit', label: 'Audit' });
  if (can(actor, 'environment.manage', 'global') || can(actor, 'user.manage', 'global')) items.push({ href: '/admin', label: 'Admin' });
  // Embedded `npm start` catches mail locally (INGRESS_GATE_LOCAL_MAIL=1): show where it went.
  if (process.env.INGRESS_GATE_LOCAL_MAIL === '1') items.push({ href: '/mail', label: 'Mail' });
  return items;
}

export function roleLabels(actor: TActor, environmentNames: Map<string, string>): string[] {
  return actor.roles.map((r) => {
    const role = r.role.toLowerCase();
    if (!r.environmentId) return role;
    return `${role} in ${environmentNames.get(r.environmentId) ?? 'an environment'}`;
  });
}
