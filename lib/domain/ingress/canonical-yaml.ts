import { appendKey } from './field-path';

/** Formatted field path → 1-based line of its key (or of its `- ` for list items). */
export type TLineMap = Map<string, number>;

export type TRendered = { yaml: string; lines: TLineMap };

// Plain (unquoted) scalars are allowed only where both YAML 1.1 (what Kubernetes reads) and 1.2
// read them back as the same string: start with a letter, `_` or `/`, no spaces, no flow or
// comment characters, no trailing `:`, and not one of the 1.1 boolean/null words.
const PLAIN_RE = /^[A-Za-z_/][A-Za-z0-9_./@=+:-]*$/;
const RESERVED_RE = /^(?:y|n|yes|no|true|false|on|off|null)$/i;
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they force quoting
const NON_PRINTABLE_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff\u2028\u2029]/;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = String(v);
  if (PLAIN_RE.test(s) && !s.endsWith(':') && !RESERVED_RE.test(s)) return s;
  // JSON string syntax is valid YAML double-quoted syntax.
  return JSON.stringify(s);
}

/** Multi-line strings (snippets) are shown as `|` blocks so reviewers read them line by line. */
function blockLines(s: string): { header: string; body: string[] } | null {
  if (!s.includes('\n') || s.includes('\r') || NON_PRINTABLE_RE.test(s)) return null;
  const trimmed = s.replace(/\n+$/, '');
  if (trimmed === '' || /^[ \t\n]/.test(trimmed)) return null;
  const body = trimmed.split('\n');
  if (body.some((line) => line !== '' && line.trim() === '')) return null;
  const trailing = s.length - trimmed.length;
  const header = trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+';
  for (let i = 1; i < trailing; i++) body.push('');
  return { header, body };
}

function isMapValue(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Emitter {
  readonly out: string[] = [];
  readonly lines: TLineMap = new Map();
  private readonly pads: string[] = [''];

  private pad(n: number): string {
    let p = this.pads[n];
    if (p === undefined) {
      p = ' '.repeat(n);
      this.pads[n] = p;
    }
    return p;
  }

  mapBody(obj: Record<string, unknown>, indent: number, path: string, firstPrefix: string | null): void {
    let first = true;
    for (const key in obj) {
      const prefix = first && firstPrefix !== null ? firstPrefix : this.pad(indent);
      first = false;
      const childPath = appendKey(path, key);
      this.lines.set(childPath, this.out.length + 1);
      this.entry(`${prefix}${scalar(key)}:`, obj[key], indent, childPath);
    }
  }

  /** `head` is `key:` or `-`; its children go at indent + 2. */
  entry(head: string, v: unknown, indent: number, path: string): void {
    if (Array.isArray(v)) {
      if (v.length === 0) {
        this.out.push(`${head} []`);
        return;
      }
      this.out.push(head);
      this.seq(v, indent + 2, path);
      return;
    }
    if (isMapValue(v)) {
      if (Object.keys(v).length === 0) {
        this.out.push(`${head} {}`);
        return;
      }
      this.out.push(head);
      this.mapBody(v, indent + 2, path, null);
      return;
    }
    if (typeof v === 'string') {
      const block = blockLines(v);
      if (block) {
        this.out.push(`${head} ${block.header}`);
        const p = this.pad(indent + 2);
        for (const line of block.body) this.out.push(line === '' ? '' : p + line);
        return;
      }
    }
    this.out.push(`${head} ${scalar(v)}`);
  }

  seq(items: unknown[], indent: number, path: string): void {
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const itemPath = `${path}[${i}]`;
      this.lines.set(itemPath, this.out.length + 1);
      if (isMapValue(item) && Object.keys(item).length > 0) {
        this.mapBody(item, indent + 2, itemPath, `${this.pad(indent)}- `);
      } else {
        this.entry(`${this.pad(indent)}-`, item, indent, itemPath);
      }
    }
  }
}

/**
 * Renders a (normalised) object as block YAML in its key order and records the line of every
 * field path while doing so — one pass, no re-parse, so findings can point at lines cheaply.
 * The root path '' maps to line 1.
 */
export function renderYaml(obj: Record<string, unknown>): TRendered {
  const e = new Emitter();
  e.lines.set('', 1);
  e.mapBody(obj, 0, '', null);
  return { yaml: `${e.out.join('\n')}\n`, lines: e.lines };
}
