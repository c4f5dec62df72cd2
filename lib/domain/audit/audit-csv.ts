/**
 * CSV for spreadsheets (RFC 4180), safe against formula injection: a cell starting with `=`, `+`,
 * `-`, `@`, a tab or a carriage return is prefixed with `'`, so Excel, LibreOffice and Sheets show
 * it as text instead of evaluating it (OWASP "CSV Injection"). The audit log holds user-typed text
 * (justifications, comments, titles) that reaches an auditor's spreadsheet this way.
 */
// = + - @ TAB CR, by char code: this runs for every cell of a million-row export.
const FORMULA_START = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell. Cases: null/undefined → empty; formula-like start → `'` prefix; `"`, `,`, CR, LF → quoted, `"` doubled. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (FORMULA_START.has(text.charCodeAt(0))) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 says. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  let line = cells.length ? csvCell(cells[0]) : '';
  for (let i = 1; i < cells.length; i++) line += `,${csvCell(cells[i])}`;
  return `${line}\r\n`;
}

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'occurred_at',
  'actor',
  'actor_id',
  'action',
  'environment',
  'environment_id',
  'namespace',
  'ingress',
  'change_request_id',
  'reason',
  'details',
  'prev_hash',
  'hash',
] as const;
