import type { TEnvironmentAdminView } from '@/lib/server/admin/read-admin';

type TSettings = TEnvironmentAdminView['settings'];

const input = 'mt-1 w-full rounded border border-slate-300 px-2 py-1.5 text-sm';
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
    <div>
      <label htmlFor={name} className="block text-sm font-medium">
        {label}
      </label>
      <textarea
        id={name}
        name={name}
        rows={3}
        defaultValue={value.join('\n')}
        aria-describedby={`${name}-hint`}
        className={`${input} font-mono`}
      />
      <p id={`${name}-hint`} className="text-xs text-slate-500">
        {hint}
      </p>
    </div>
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
  const p = settings.policy;
  return (
    <div className="space-y-6">
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-base font-semibold">Rules</legend>
        <div className="sm:col-span-2">
          <label htmlFor="description" className="block text-sm font-medium">
            Description
          </label>
          <input id="description" name="description" defaultValue={settings.description} className={input} />
        </div>
        <div>
          <label htmlFor="requiredApprovals" className="block text-sm font-medium">
            Required approvals (1–10)
          </label>
          <input
            id="requiredApprovals"
            name="requiredApprovals"
            type="number"
            min={1}
            max={10}
            defaultValue={settings.requiredApprovals}
            className={input}
          />
        </div>
        <div>
          <label htmlFor="requestExpiryHours" className="block text-sm font-medium">
            Request expiry (hours)
          </label>
          <input
            id="requestExpiryHours"
            name="requestExpiryHours"
            type="number"
            min={1}
            max={8760}
            defaultValue={settings.requestExpiryHours}
            className={input}
          />
        </div>
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
        <div>
          <label htmlFor="policy.autoApproveMaxSeverity" className="block text-sm font-medium">
            Auto-approve threshold
          </label>
          <select
            id="policy.autoApproveMaxSeverity"
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
        </div>
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
        <div>
          <label htmlFor="policy.blockOnSeverity" className="block text-sm font-medium">
            Block findings at or above
          </label>
          <select id="policy.blockOnSeverity" name="policy.blockOnSeverity" defaultValue={p.blockOnSeverity} className={input}>
            {SEVERITY_BLOCK.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="grid grid-cols-2 gap-2 sm:col-span-2 sm:grid-cols-5">
          {(['hosts', 'tls', 'classes', 'annotations', 'namespaces'] as const).map((k) => (
            <div key={k}>
              <label htmlFor={`policy.enforcement.${k}`} className="block text-xs font-medium">
                {k} breaches
              </label>
              <select id={`policy.enforcement.${k}`} name={`policy.enforcement.${k}`} defaultValue={p.enforcement[k]} className={input}>
                <option value="block">block</option>
                <option value="warn">warn</option>
              </select>
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-base font-semibold">Cluster connection</legend>
        <div>
          <label htmlFor="connection.kind" className="block text-sm font-medium">
            Connection
          </label>
          <select id="connection.kind" name="connection.kind" defaultValue={settings.connection.kind} className={input}>
            <option value="SANDBOX">Sandbox cluster</option>
            {(serverCredentials.isAllowed || settings.connection.kind === 'KUBECONFIG_FILE') && (
              <option value="KUBECONFIG_FILE">Kubeconfig file from the operator’s directory</option>
            )}
            <option value="KUBECONFIG_INLINE">Pasted kubeconfig (stored encrypted)</option>
            {(serverCredentials.isAllowed || settings.connection.kind === 'IN_CLUSTER') && (
              <option value="IN_CLUSTER">In-cluster service account</option>
            )}
          </select>
          {!serverCredentials.isAllowed && (
            <p className="mt-1 text-xs text-slate-500">
              Kubeconfig files and the in-cluster account are chosen by admins of every environment.
            </p>
          )}
        </div>
        <div>
          <label htmlFor="connection.context" className="block text-sm font-medium">
            Context (kubeconfig) or sandbox cluster name, optional
          </label>
          <input id="connection.context" name="connection.context" defaultValue={settings.connection.context ?? ''} className={input} />
        </div>
        <div className="sm:col-span-2">
          <label htmlFor="connection.path" className="block text-sm font-medium">
            Kubeconfig file (file only; from INGRESS_GATE_KUBECONFIG_DIR)
          </label>
          <select
            id="connection.path"
            name="connection.path"
            defaultValue={settings.connection.path ?? ''}
            className={`${input} font-mono`}
          >
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
        </div>
        <div className="sm:col-span-2">
          <label htmlFor="connection.kubeconfig" className="block text-sm font-medium">
            Kubeconfig (pasted only)
          </label>
          <textarea
            id="connection.kubeconfig"
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
        </div>
      </fieldset>
    </div>
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
