import { decodeManifestBytes } from '@/lib/domain/ingress/decode-manifest';
import { AppError, type TFieldError } from '@/lib/server/errors';
import { readJson } from './api';

/** Media types read as a raw manifest body. */
const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);
/** Every media type readSubmission reads (for the cookie-caller content-type rule in api.ts). */
export const SUBMISSION_CONTENT_TYPES = ['application/json', ...YAML_TYPES, 'multipart/form-data'] as const;
/** Far above the 256 KiB manifest limit (which parseIngress reports with its line); stops huge uploads early. */
export const MAX_SUBMISSION_BYTES = 1024 * 1024;
// `reviewers`, `reviewerGroups`: chosen reviewers and reviewer groups, comma-separated (issue 16).
const FIELDS = ['environment', 'namespace', 'name', 'action', 'title', 'justification', 'reviewers', 'reviewerGroups'] as const;

/**
 * The body of POST /api/v1/change-requests as the object submitChangeRequest validates. Parsing
 * only; every rule lives in the operation. Cases:
 * - `application/json` (or no type): the JSON object, as before
 * - `application/yaml` (also `application/x-yaml`, `text/yaml`): the body is the manifest; the
 *   other fields come from the query string (`?environment=…&namespace=…&action=…&title=…`) or
 *   from `X-Change-<Field>` headers (the query wins)
 * - `multipart/form-data`: the fields as form fields, the manifest as a file part `manifest`
 *   (or a text field `yaml`)
 * - manifest bytes are decoded as strict UTF-8: invalid bytes are a 422 naming line and column,
 *   never replaced by U+FFFD
 * - a body over MAX_SUBMISSION_BYTES → 400; another media type → 400 naming the supported ones
 * - a session-cookie caller sending YAML or multipart from another site → 403: a form on another
 *   site can send multipart without a CORS preflight (JSON and YAML need one), so the browser's
 *   Sec-Fetch-Site / Origin must say the request comes from this site. Token callers are not
 *   browsers and are not affected.
 */
export async function readSubmission(request: Request): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || type === 'application/json') return readJson(request);
  const isYaml = YAML_TYPES.has(type);
  if (!isYaml && type !== 'multipart/form-data') {
    throw new AppError(
      'INVALID_INPUT',
      `Unsupported Content-Type "${type}": send application/json, application/yaml (the manifest as the body) or multipart/form-data (a "manifest" file).`,
    );
  }
  assertSameSiteForCookies(request);
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_SUBMISSION_BYTES) throw tooLarge();

  if (isYaml) {
    const url = new URL(request.url);
    const out: Record<string, string> = {};
    for (const f of FIELDS) {
      const v = url.searchParams.get(f) ?? request.headers.get(`x-change-${f}`);
      if (v !== null) out[f] = v;
    }
    return { ...out, yaml: decode(await readBytes(request), 'yaml') };
  }

  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError('INVALID_INPUT', 'The multipart body could not be read.');
  }
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = form.get(f);
    if (typeof v === 'string') out[f] = v;
  }
  const file = form.get('manifest');
  if (file !== null && typeof file !== 'string') {
    if (file.size > MAX_SUBMISSION_BYTES) throw tooLarge();
    out.yaml = decode(new Uint8Array(await file.arrayBuffer()), 'manifest');
  } else if (typeof form.get('yaml') === 'string') {
    out.yaml = form.get('yaml');
  } else if (typeof file === 'string') {
    out.yaml = file;
  }
  return out;
}

function decode(bytes: Uint8Array, field: string): string {
  const decoded = decodeManifestBytes(bytes);
  if (decoded.ok) return decoded.text;
  const fieldErrors: TFieldError[] = decoded.issues.map((i) => ({ path: field, message: i.message, line: i.line, column: i.column }));
  throw new AppError('UNPROCESSABLE', decoded.issues[0]!.message, { fieldErrors });
}

async function readBytes(request: Request): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_SUBMISSION_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function tooLarge(): AppError {
  return new AppError(
    'INVALID_INPUT',
    `The request body is larger than ${MAX_SUBMISSION_BYTES / 1024 / 1024} MiB; a manifest may be 256 KiB.`,
  );
}

function assertSameSiteForCookies(request: Request): void {
  if (request.headers.get('authorization')) return;
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  const host = request.headers.get('host');
  let isCrossSite = site !== null && site !== 'same-origin' && site !== 'none';
  if (!isCrossSite && origin !== null && host !== null) {
    try {
      isCrossSite = new URL(origin).host !== host;
    } catch {
      isCrossSite = true;
    }
  }
  if (isCrossSite) {
    throw new AppError(
      'FORBIDDEN',
      'Cross-site uploads with a session cookie are refused; submit from Ingress Gate itself or use an API token.',
    );
  }
}
