import { readFileSync } from 'node:fs';

// A small reader for the subset of the Prisma schema language this project uses, enough to
// compare schema.prisma with the migrated database. It is deliberately strict: a line it does
// not understand throws, so the comparison can never silently skip something.

export type TField = {
  name: string;
  column: string;
  type: string;
  isOptional: boolean;
  isList: boolean;
  isRelation: boolean;
  dbType: string | null;
  relation: { fields: string[]; references: string[] } | null;
};
export type TModel = { name: string; table: string; fields: TField[]; uniques: string[][]; indexes: string[][] };
export type TSchema = { enums: Map<string, string[]>; models: TModel[] };

const SCALARS = new Set(['String', 'Int', 'BigInt', 'Boolean', 'DateTime', 'Json', 'Float', 'Decimal', 'Bytes']);

export function readPrismaSchema(file: string): TSchema {
  const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
  const enums = new Map<string, string[]>();
  // Blocks end at a line holding only "}" (a "{}" default inside a block must not end it).
  for (const m of text.matchAll(/^enum\s+(\w+)\s*\{\n([\s\S]*?)^\}/gm)) {
    enums.set(
      m[1]!,
      m[2]!
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );
  }
  const modelNames = new Set([...text.matchAll(/model\s+(\w+)\s*\{/g)].map((m) => m[1]!));
  const models: TModel[] = [];
  for (const m of text.matchAll(/^model\s+(\w+)\s*\{\n([\s\S]*?)^\}/gm)) {
    const name = m[1]!;
    let table = name;
    const fields: TField[] = [];
    const uniques: string[][] = [];
    const indexes: string[][] = [];
    for (const raw of m[2]!.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      if (line.startsWith('@@')) {
        const map = line.match(/^@@map\("([^"]+)"\)/);
        if (map) {
          table = map[1]!;
          continue;
        }
        const idx = line.match(/^@@(unique|index)\(\[([^\]]+)\]/);
        if (idx) {
          const cols = idx[2]!.split(',').map((c) => c.trim().replace(/\(.*\)$/, ''));
          (idx[1] === 'unique' ? uniques : indexes).push(cols);
          continue;
        }
        throw new Error(`prisma-schema: unsupported block attribute in ${name}: ${line}`);
      }
      const f = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/);
      if (!f) throw new Error(`prisma-schema: cannot read field line in ${name}: ${line}`);
      const [, fname, type, list, opt, attrs] = f;
      const isRelation = modelNames.has(type!);
      if (!isRelation && !SCALARS.has(type!) && !enums.has(type!))
        throw new Error(`prisma-schema: unknown type ${type} in ${name}.${fname}`);
      const rel = attrs!.match(/@relation\([^)]*fields:\s*\[([^\]]+)\],\s*references:\s*\[([^\]]+)\]/);
      fields.push({
        name: fname!,
        column: attrs!.match(/@map\("([^"]+)"\)/)?.[1] ?? fname!,
        type: type!,
        isOptional: Boolean(opt),
        isList: Boolean(list),
        isRelation,
        dbType: attrs!.match(/@db\.(\w+)/)?.[1] ?? null,
        relation: rel ? { fields: rel[1]!.split(',').map((s) => s.trim()), references: rel[2]!.split(',').map((s) => s.trim()) } : null,
      });
      if (/@unique\b/.test(attrs!)) uniques.push([fname!]);
    }
    models.push({ name, table, fields, uniques, indexes });
  }
  return { enums, models };
}
