import type { TEnvironmentAdminView } from '@/lib/server/admin/read-admin';
import { Field, input as fieldInput } from '@/components/ui/field';

type TSettings = TEnvironmentAdminView['settings'];

const input = `mt-1 ${fieldInput}`;
// 'low'/'medium' (older policies) behave as 'info': a finding above info always needs a human.
const SEVERITY_AUTO = ['none', 'info'] as const;
const SEVERITY_BLOCK = ['never', 'info', 'low', 'medium', 'high', 'critical'] as const;

function Check({ name, label, defaultChecked, hint }: { name: string; label: string; defaultChecked: boolean; hint?: string }) {
  return (
    <div className="flex items-start gap-2">
      <input id={name} name={name} type="checkbox" defaultChecked={defaultChecked} className="mt-1" />
      <label htmlFor={name} className="text-sm">
        {label}
        {hint && <span className="block text-xs text-slate-500">{hint}</span>}
      </label>
    </div>
  );
}

function Lines({ name, label, value, hint }: { name: string; label: string; value: string[]; hint: string }) {
  return (
    <Field id={name} label={label} hint={hint}>
      {(c) => <textarea {...c} name={name} rows={3} defaultValue={value.join('\n')} className={`${input} font-mono`} />}
    </Field>
  );
}

/** Every setting of an environment, named as settingsFromForm() reads them. */
/** What the viewer may choose for connections that use the server's own credentials. */
export type TServerCredentialChoice = { isAllowed: boolean; files: string[] };

export function EnvironmentFields({
  settings,
  serverCredentials = { isAllowed: false, files: [] },
}: {
  settings: TSettings;
  serverCredentials?: TServerCredentialChoice;
}) {
  return (
    <div className="space-y-6">
      <RulesFields settings={settings} />
      <PolicyFields policy={settings.policy} />
      <ConnectionFields settings={settings} serverCredentials={serverCredentials} />
    </div>
  );
}

/** Approvals, expiry, production, rollback and auto-approval. */
function RulesFields({ settings }: { settings: TSettings }) {
  const p = settings.policy;
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="mb-2 text-base font-semibold">Rules</legend>
      <Field id="description" label="Description" className="sm:col-span-2">
        {(c) => <input {...c} name="description" defaultValue={settings.description} className={input} />}
      </Field>
      <Field id="requiredApprovals" label="Required approvals (1–10)">
        {(c) => (
          <input
            {...c}
            name="requiredApprovals"
            type="number"
            min={1}
            max={10}
            defaultValue={settings.requiredApprovals}
            className={input}
          />
        )}
      </Field>
      <Field id="requestExpiryHours" label="Request expiry (hours)">
        {(c) => (
          <input
            {...c}
            name="requestExpiryHours"
            type="number"
            min={1}
            max={8760}
            defaultValue={settings.requestExpiryHours}
            className={input}
          />
        )}
      </Field>
      <Check name="isProduction" label="Production environment" defaultChecked={settings.isProduction} />
      <Check
        name="rollbackPreApproved"
        label="One-click rollback is pre-approved"
        defaultChecked={settings.rollbackPreApproved}
        hint="Rolling back to a previously approved state needs no new approvals."
      />
      <Check
        name="autoApproveEnabled"
        label="Auto-approve low-risk changes"
        defaultChecked={settings.autoApproveEnabled}
        hint="Only changes on the low-risk list below, with no finding above info and no policy violation."
      />
      <Field id="policy.autoApproveMaxSeverity" label="Auto-approve threshold">
        {(c) => (
          <select
            {...c}
            name="policy.autoApproveMaxSeverity"
            defaultValue={p.autoApproveMaxSeverity === 'none' ? 'none' : 'info'}
            className={input}
          >
            {SEVERITY_AUTO.map((s) => (
              <option key={s} value={s}>
                {s === 'none' ? 'none (no auto-approval)' : 'info findings only'}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Check
        name="policy.autoApprove.addPathsToExistingHosts"
        label="Low risk: adding a path on an existing host to an existing Service"
        defaultChecked={p.autoApprove.addPathsToExistingHosts}
        hint="Creates, deletes, TLS, class, default backend, label and unmodelled field changes always need review."
      />
      <Lines
        name="policy.autoApprove.ingressClasses"
        label="Low-risk ingress classes"
        value={p.autoApprove.ingressClasses}
        hint="One per line, e.g. internal-only classes; before and after must both be listed. Empty: any class."
      />
      <Lines
        name="policy.autoApprove.annotations"
        label="Low-risk annotations"
        value={p.autoApprove.annotations}
        hint="Keys (or globs with *) that may change without review. Any other annotation change, or an annotation no rule knows, needs review."
      />
    </fieldset>
  );
}

/** What a change may contain: hosts, namespaces, classes, annotations, TLS, severities. */
function PolicyFields({ policy: p }: { policy: TSettings['policy'] }) {
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="mb-2 text-base font-semibold">Policy</legend>
      <Lines
        name="policy.allowedHostPatterns"
        label="Allowed host patterns"
        value={p.allowedHostPatterns}
        hint="One per line: *.example.com (one label), **.example.com (any depth). Empty: any host."
      />
      <Lines
        name="policy.allowedNamespaces"
        label="Allowed namespaces"
        value={p.allowedNamespaces}
        hint="One per line; globs like team-*. Empty: any namespace."
      />
      <Lines
        name="policy.allowedIngressClasses"
        label="Allowed ingress classes"
        value={p.allowedIngressClasses}
        hint="One per line. Empty: any class."
      />
      <Lines
        name="policy.forbiddenAnnotations"
        label="Forbidden annotations"
        value={p.forbiddenAnnotations}
        hint="Exact keys or prefixes ending in *, e.g. nginx.ingress.kubernetes.io/*-snippet."
      />
      <Check name="policy.requireTls" label="TLS required for every host" defaultChecked={p.requireTls} />
      <Field id="policy.blockOnSeverity" label="Block findings at or above">
        {(c) => (
          <select {...c} name="policy.blockOnSeverity" defaultValue={p.blockOnSeverity} className={input}>
            {SEVERITY_BLOCK.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="grid grid-cols-2 gap-2 sm:col-span-2 sm:grid-cols-5">
        {(['hosts', 'tls', 'classes', 'annotations', 'namespaces'] as const).map((k) => (
          <Field key={k} id={`policy.enforcement.${k}`} label={`${k} breaches`}>
            {(c) => (
              <select {...c} name={`policy.enforcement.${k}`} defaultValue={p.enforcement[k]} className={input}>
                <option value="block">block</option>
                <option value="warn">warn</option>
              </select>
            )}
          </Field>
        ))}
      </div>
    </fieldset>
  );
}

/** How the portal reaches the environment's cluster. */
function ConnectionFields({ settings, serverCredentials }: { settings: TSettings; serverCredentials: TServerCredentialChoice }) {
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="mb-2 text-base font-semibold">Cluster connection</legend>
      <Field
        id="connection.kind"
        label="Connection"
        hint={
          serverCredentials.isAllowed ? undefined : 'Kubeconfig files and the in-cluster account are chosen by admins of every environment.'
        }
      >
        {(c) => (
          <select {...c} name="connection.kind" defaultValue={settings.connection.kind} className={input}>
            <option value="SANDBOX">Sandbox cluster</option>
            {(serverCredentials.isAllowed || settings.connection.kind === 'KUBECONFIG_FILE') && (
              <option value="KUBECONFIG_FILE">Kubeconfig file from the operator’s directory</option>
            )}
            <option value="KUBECONFIG_INLINE">Pasted kubeconfig (stored encrypted)</option>
            {(serverCredentials.isAllowed || settings.connection.kind === 'IN_CLUSTER') && (
              <option value="IN_CLUSTER">In-cluster service account</option>
            )}
          </select>
        )}
      </Field>
      <Field id="connection.context" label="Context (kubeconfig) or sandbox cluster name, optional">
        {(c) => <input {...c} name="connection.context" defaultValue={settings.connection.context ?? ''} className={input} />}
      </Field>
      <Field id="connection.path" label="Kubeconfig file (file only; from INGRESS_GATE_KUBECONFIG_DIR)" className="sm:col-span-2">
        {(c) => (
          <select {...c} name="connection.path" defaultValue={settings.connection.path ?? ''} className={`${input} font-mono`}>
            <option value="">
              {serverCredentials.files.length ? '— choose a file —' : '— no files: the operator sets INGRESS_GATE_KUBECONFIG_DIR —'}
            </option>
            {[
              ...new Set([
                ...(serverCredentials.isAllowed ? serverCredentials.files : []),
                ...(settings.connection.path ? [settings.connection.path] : []),
              ]),
            ].map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="connection.kubeconfig" label="Kubeconfig (pasted only)" className="sm:col-span-2">
        {(c) => (
          <textarea
            {...c}
            name="connection.kubeconfig"
            rows={4}
            autoComplete="off"
            spellCheck={false}
            className={`${input} font-mono`}
            placeholder={
              settings.connection.hasInlineKubeconfig
                ? 'A kubeconfig is stored. Leave empty to keep it; paste to replace it.'
                : 'Paste a kubeconfig'
            }
          />
        )}
      </Field>
    </fieldset>
  );
}

export const EMPTY_SETTINGS: TSettings = {
  description: '',
  isProduction: false,
  requiredApprovals: 1,
  requestExpiryHours: 168,
  rollbackPreApproved: false,
  autoApproveEnabled: false,
  policy: {
    allowedHostPatterns: [],
    requireTls: false,
    allowedIngressClasses: [],
    forbiddenAnnotations: [],
    allowedNamespaces: [],
    autoApproveMaxSeverity: 'none',
    autoApprove: { ingressClasses: [], annotations: [], addPathsToExistingHosts: true },
    blockOnSeverity: 'never',
    enforcement: { hosts: 'block', tls: 'block', classes: 'block', annotations: 'block', namespaces: 'block' },
  },
  connection: { kind: 'SANDBOX', path: null, context: null, hasInlineKubeconfig: false },
};
