import type { TLineMap } from '../ingress/canonical-yaml';
import { findDisallowedInDecoded } from '../ingress/find-disallowed-in-decoded';
import { parseIngress } from '../ingress/parse-ingress';
import type { TIngress } from '../ingress/types';
import { validateIngressObject } from '../ingress/validate-ingress';
import { findDisallowedCharacter } from '../text/disallowed-characters';
import { ingressFromForm, ZIngressForm } from './ingress-form';

/** What a requester proposes: YAML text, the structured form, or (internally) a manifest. */
export type TProposalSource = { yaml: string } | { form: unknown } | { manifest: TIngress };

/** One problem, at a field path (and, for YAML, a 1-based line and column). */
export type TProposalIssue = { path: string; message: string; line?: number | null; column?: number | null };

export type TProposal =
  | { ok: true; ingress: TIngress; /** Where each field is in the typed YAML (when asked for). */ sourceLines?: TLineMap }
  | { ok: false; /** One sentence for the whole refusal. */ message: string; issues: TProposalIssue[] };

export type TReadProposalOptions = {
  /** The target namespace; undefined while the requester has not chosen one (the form then builds in "default"). */
  namespace: string | undefined;
  /** Also return the field path → typed line map of YAML text (the browser marks findings at typed lines). */
  sourceLines?: boolean;
};

const refuse = (message: string, issues: TProposalIssue[]): TProposal => ({ ok: false, message, issues });
const plural = (n: number) => `${n} problem${n === 1 ? '' : 's'}`;

/** Control characters (a NUL breaks the database) are refused in every source, not only YAML text. */
function controlCharacterIssue(ingress: unknown): TProposal | null {
  const bad = findDisallowedInDecoded(ingress);
  return bad ? refuse(`${bad.path || 'The manifest'}: ${bad.message}`, [{ path: bad.path, message: bad.message }]) : null;
}

function readYaml(yaml: string, opts: TReadProposalOptions): TProposal {
  // Before parsing: a NUL inside a YAML string is valid YAML and passed validation, then failed
  // the insert (PostgreSQL 22P05) as a 500.
  const bad = findDisallowedCharacter(yaml);
  if (bad) return refuse(`The YAML ${bad.message}.`, [{ path: 'yaml', line: bad.line, column: bad.column, message: bad.message }]);
  const parsed = parseIngress(yaml, { namespace: opts.namespace, sourceLines: opts.sourceLines });
  if (!parsed.ok) return refuse(`The YAML is not a valid Ingress (${plural(parsed.issues.length)}).`, parsed.issues);
  return { ok: true, ingress: parsed.ingress, ...(parsed.sourceLines ? { sourceLines: parsed.sourceLines } : {}) };
}

function readForm(form: unknown, opts: TReadProposalOptions): TProposal {
  const parsed = ZIngressForm.safeParse(form);
  if (!parsed.success) {
    return refuse(
      'The form has errors.',
      parsed.error.issues.map((i) => ({ path: `form.${i.path.join('.')}`, message: i.message })),
    );
  }
  const ingress = ingressFromForm(parsed.data, opts.namespace || 'default');
  const control = controlCharacterIssue(ingress);
  if (control) return control;
  const issues = validateIngressObject(ingress, { namespace: opts.namespace || undefined });
  return issues.length ? refuse('The form does not describe a valid Ingress.', issues) : { ok: true, ingress };
}

/**
 * The proposed Ingress of a create or update, read the same way in the browser (live, while the
 * requester types) and on the server (at submission): strict text, parse or form schema, then the
 * API server's own validation. Never throws; a refusal carries every problem with its path.
 */
export function readProposal(source: TProposalSource, opts: TReadProposalOptions): TProposal {
  if ('yaml' in source) return readYaml(source.yaml, opts);
  if ('form' in source) return readForm(source.form, opts);
  const control = controlCharacterIssue(source.manifest);
  if (control) return control;
  const issues = validateIngressObject(source.manifest, { namespace: opts.namespace || undefined });
  return issues.length ? refuse('The manifest is not a valid Ingress.', issues) : { ok: true, ingress: source.manifest };
}
