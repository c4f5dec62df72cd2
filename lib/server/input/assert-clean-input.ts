import { findDisallowedInValue, type TDisallowedInValue } from '@/lib/domain/text/disallowed-characters';
import { AppError } from '../errors';

/**
 * The input boundary: every text that can reach PostgreSQL passes here (JSON bodies in lib/web's
 * readJson, URLs in proxy.ts, and every Prisma query through the client extension in db/client).
 * A NUL, another control character or an unpaired surrogate is a 400 naming the field and where
 * in it, instead of a PostgreSQL error (22021, 22P05) surfacing as a 500. Nothing is written.
 *
 * `root` prefixes the path (`query`, `body`); a bare string is reported as `root` itself.
 */
export function assertCleanInput(value: unknown, opts: { root?: string; pathFor?: (path: string) => string } = {}): void {
  const found = findDisallowedInValue(value, opts.root ?? '');
  if (found === null) return;
  throw disallowedCharacterError(found, opts.pathFor ? opts.pathFor(found.path) : found.path);
}

export function disallowedCharacterError(found: TDisallowedInValue, path: string): AppError {
  const field = path === '' ? 'the input' : path;
  const message = `${found.inKey ? `a key in ${field}` : field} ${found.message}.`;
  const isMultiLine = found.line > 1 || found.message.includes('line ');
  return new AppError('INVALID_INPUT', message, {
    fieldErrors: [
      {
        path,
        message: `${found.message}`,
        line: isMultiLine ? found.line : null,
        column: isMultiLine ? found.column : null,
      },
    ],
  });
}

// Prisma argument keys that are syntax, not fields: dropped from the path a user sees, so
// `data.revisions.create.manifestYaml` is reported as `revisions.manifestYaml`.
const PRISMA_SYNTAX = new Set([
  'data',
  'where',
  'create',
  'createMany',
  'update',
  'updateMany',
  'upsert',
  'connect',
  'connectOrCreate',
  'set',
  'equals',
  'in',
  'notIn',
  'contains',
  'startsWith',
  'endsWith',
  'not',
  'AND',
  'OR',
  'NOT',
  'some',
  'every',
  'none',
  'is',
  'isNot',
  'mode',
  'select',
  'include',
  'orderBy',
  'cursor',
]);

/** A Prisma argument path (`data.title`, `where.id.in[2]`) → the field a user recognises (`title`, `id`). */
export function fieldFromPrismaPath(path: string): string {
  const segments = path
    .replace(/\[\d+\]/g, '')
    .split('.')
    .filter((s) => s !== '' && !PRISMA_SYNTAX.has(s));
  return segments.join('.');
}
