/**
 * CSV for spreadsheets (RFC 4180), safe against formula injection: a cell starting with `=`, `+`,
 * `-`, `@`, a tab or a carriage return is prefixed with `'`, so Excel, LibreOffice and Sheets show
 * it as text instead of evaluating it (OWASP "CSV Injection"). The audit log holds user-typed text
 * (justifications, comments, titles) that reaches an auditor's spreadsheet this way.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell. Cases: null/undefined → empty; formula-like start → `'` prefix; `"`, `,`, CR, LF → quoted, `"` doubled. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 says. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
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
