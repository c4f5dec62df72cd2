import pg from 'pg';

export type TStatement = { text: string; values: unknown[] };

/**
 * Records every statement this process sends to PostgreSQL through `pg` — Prisma's adapter, the
 * audit read pool and raw clients alike all end in pg.Client.prototype.query — while `fn` runs.
 * BEGIN/COMMIT count as statements: a transaction is round trips too.
 */
export async function logStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: TStatement[] }> {
  const statements: TStatement[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') statements.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === 'object' && 'text' in first) {
      const q = first as { text: string; values?: unknown[] };
      statements.push({ text: q.text, values: q.values ?? (Array.isArray(second) ? second : []) });
    }
    return original.apply(this, args);
  };
  try {
    const result = await fn();
    return { result, statements };
  } finally {
    proto.query = original;
  }
}

type TPlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: TPlanNode[] };

/** EXPLAIN (FORMAT JSON) of a recorded statement: every node, flattened. */
export async function planOf(client: pg.Client, statement: TStatement): Promise<TPlanNode[]> {
  const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: TPlanNode }] }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
  const nodes: TPlanNode[] = [];
  const walk = (n: TPlanNode) => {
    nodes.push(n);
    n.Plans?.forEach(walk);
  };
  walk(rows[0]!['QUERY PLAN'][0].Plan);
  return nodes;
}
