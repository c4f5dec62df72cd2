import { db } from '../db/client';

/** id → name of every environment; names are not secret (they label role scopes in the header). */
export async function environmentNameMap(): Promise<Map<string, string>> {
  const rows = await db().environment.findMany({ select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}
