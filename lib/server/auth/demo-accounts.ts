import { DEMO_PASSWORD, DEMO_USERS } from '../seed/seed-demo';
import { db } from '../db/client';
import { env } from '../env';

export type TDemoAccount = { email: string; name: string; roleText: string };

/**
 * The demo accounts the sign-in page lists, so someone who missed the console still gets in.
 * Cases: INGRESS_GATE_DEMO is not 1 (every real install) → none, without touching the database;
 * demo mode → only the demo accounts that exist and are active in this database (an admin who
 * deactivated one, or a database seeded otherwise, shows fewer or none).
 */
export async function demoAccountsForSignIn(
  isDemo: boolean = env().INGRESS_GATE_DEMO === '1',
): Promise<{ accounts: TDemoAccount[]; password: string } | null> {
  if (!isDemo) return null;
  const present = await db().user.findMany({
    where: { email: { in: DEMO_USERS.map((u) => u.email) }, isActive: true },
    select: { email: true },
  });
  const emails = new Set(present.map((u) => u.email));
  const accounts = DEMO_USERS.filter((u) => emails.has(u.email)).map((u) => ({
    email: u.email,
    name: u.name ?? u.email,
    roleText: u.roleText,
  }));
  return accounts.length ? { accounts, password: DEMO_PASSWORD } : null;
}
