import { readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPrismaSchema, type TField } from './prisma-schema';
import { testDatabaseUrl } from './helpers';

// Proves the committed migrations produce the database schema.prisma describes: every model is a
// table, every scalar field a column of a compatible type and nullability, every enum a type with
// the same values, every relation a foreign key, every @unique/@@unique a unique index, every
// @@index an index. If someone edits one without the other, this fails.

const schema = readPrismaSchema(path.resolve('prisma/schema.prisma'));
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

const COMPATIBLE: Record<string, (udt: string, dataType: string) => boolean> = {
  String: (udt) => udt === 'text' || udt === 'varchar' || udt === 'uuid',
  Int: (udt) => udt === 'int4',
  BigInt: (udt) => udt === 'int8',
  Boolean: (udt) => udt === 'bool',
  DateTime: (udt) => udt === 'timestamptz' || udt === 'timestamp',
  Json: (udt) => udt === 'jsonb',
};

function expectedUdt(field: TField, enums: Set<string>): (udt: string, dataType: string) => boolean {
  if (field.isList) {
    // PostgreSQL arrays: data_type ARRAY, udt_name is the element type with a leading underscore.
    const element = expectedUdt({ ...field, isList: false }, enums);
    return (udt, dataType) => dataType === 'ARRAY' && element(udt.replace(/^_/, ''), enums.has(field.type) ? 'USER-DEFINED' : dataType);
  }
  if (enums.has(field.type)) return (udt, dataType) => dataType === 'USER-DEFINED' && udt === field.type;
  if (field.dbType === 'Uuid') return (udt) => udt === 'uuid';
  if (field.dbType === 'Timestamptz') return (udt) => udt === 'timestamptz';
  const check = COMPATIBLE[field.type];
  if (!check) throw new Error(`no type mapping for ${field.type}`);
  // A list (String[]) is a PostgreSQL array, whose udt is the element's with a leading underscore.
  if (field.isList) return (udt, dataType) => dataType === 'ARRAY' && udt.startsWith('_') && check(udt.slice(1), 'USER-DEFINED');
  return check;
}

describe('migrated database matches prisma/schema.prisma', () => {
  it('has every enum with exactly the same values, in order', async () => {
    const { rows } = await client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname::text AS typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const db = new Map(rows.map((r) => [r.typname, r.labels]));
    expect(schema.enums.size).toBeGreaterThan(0);
    for (const [name, values] of schema.enums) expect(db.get(name), `enum ${name}`).toEqual(values);
  });

  it.each(schema.models.map((m) => [m.name, m] as const))('model %s: table, columns, types, nullability', async (_name, model) => {
    const { rows } = await client.query<{ column_name: string; udt_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, udt_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      [model.table],
    );
    expect(rows.length, `table ${model.table} exists`).toBeGreaterThan(0);
    const columns = new Map(rows.map((r) => [r.column_name, r]));
    const scalars = model.fields.filter((f) => !f.isRelation);
    for (const field of scalars) {
      const column = columns.get(field.column);
      expect(column, `${model.name}.${field.name} → column ${model.table}.${field.column}`).toBeDefined();
      expect(
        expectedUdt(field, new Set(schema.enums.keys()))(column!.udt_name, column!.data_type),
        `${model.name}.${field.name} type ${field.type} vs ${column!.udt_name}`,
      ).toBe(true);
      expect(column!.is_nullable === 'YES', `${model.name}.${field.name} nullability`).toBe(field.isOptional);
    }
    // No column the schema does not know about (it would be invisible to the app).
    expect([...columns.keys()].sort()).toEqual(scalars.map((f) => f.column).sort());
  });

  it.each(schema.models.map((m) => [m.name, m] as const))('model %s: foreign keys, unique and plain indexes', async (_name, model) => {
    const fks = await client.query<{ cols: string[]; ref_table: string; ref_cols: string[] }>(
      `SELECT array_agg(a.attname::text ORDER BY k.ord) AS cols, rt.relname::text AS ref_table, array_agg(ra.attname::text ORDER BY k.ord) AS ref_cols
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class rt ON rt.oid = c.confrelid
       CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(col, refcol, ord)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
       JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.refcol
       WHERE c.contype = 'f' AND t.relname = $1 GROUP BY c.oid, rt.relname`,
      [model.table],
    );
    const column = (f: string) => model.fields.find((x) => x.name === f)!.column;
    const tableOf = (m: string) => schema.models.find((x) => x.name === m)!.table;
    for (const field of model.fields.filter((f) => f.relation)) {
      const target = schema.models.find((x) => x.name === field.type)!;
      const want = {
        cols: field.relation!.fields.map(column),
        ref_table: tableOf(field.type),
        ref_cols: field.relation!.references.map((r) => target.fields.find((x) => x.name === r)!.column),
      };
      expect(fks.rows, `${model.name}.${field.name} foreign key`).toContainEqual(want);
    }
    const idx = await client.query<{ cols: string[]; is_unique: boolean }>(
      `SELECT array_agg(a.attname::text ORDER BY k.ord) AS cols, i.indisunique AS is_unique
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(col, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.col
       WHERE t.relname = $1 GROUP BY i.indexrelid, i.indisunique`,
      [model.table],
    );
    for (const cols of model.uniques) {
      expect(idx.rows, `${model.name} @unique ${cols.join(',')}`).toContainEqual({ cols: cols.map(column), is_unique: true });
    }
    for (const cols of model.indexes) {
      expect(
        idx.rows.some((r) => JSON.stringify(r.cols) === JSON.stringify(cols.map(column))),
        `${model.name} @@index ${cols.join(',')}`,
      ).toBe(true);
    }
  });

  it('records every migration the way prisma migrate deploy does', async () => {
    const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; checksum: string }>(
      'SELECT migration_name, finished_at, checksum FROM _prisma_migrations ORDER BY migration_name',
    );
    const committed = readdirSync('prisma/migrations', { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(committed.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.migration_name)).toEqual(committed);
    for (const r of rows) {
      expect(r.finished_at).not.toBeNull();
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
