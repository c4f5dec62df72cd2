// FormData → the shapes lib/server/admin validates. Parsing only; every rule lives in the operation.
const lines = (v: FormDataEntryValue | null) =>
  String(v ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
const checked = (f: FormData, name: string) => f.get(name) === 'on';
const text = (f: FormData, name: string) => String(f.get(name) ?? '');

export function settingsFromForm(f: FormData) {
  const kind = text(f, 'connection.kind') || 'SANDBOX';
  return {
    description: text(f, 'description'),
    isProduction: checked(f, 'isProduction'),
    requiredApprovals: text(f, 'requiredApprovals'),
    requestExpiryHours: text(f, 'requestExpiryHours'),
    rollbackPreApproved: checked(f, 'rollbackPreApproved'),
    autoApproveEnabled: checked(f, 'autoApproveEnabled'),
    policy: {
      allowedHostPatterns: lines(f.get('policy.allowedHostPatterns')),
      requireTls: checked(f, 'policy.requireTls'),
      allowedIngressClasses: lines(f.get('policy.allowedIngressClasses')),
      forbiddenAnnotations: lines(f.get('policy.forbiddenAnnotations')),
      allowedNamespaces: lines(f.get('policy.allowedNamespaces')),
      autoApproveMaxSeverity: text(f, 'policy.autoApproveMaxSeverity') || 'none',
      autoApprove: {
        ingressClasses: lines(f.get('policy.autoApprove.ingressClasses')),
        annotations: lines(f.get('policy.autoApprove.annotations')),
        addPathsToExistingHosts: checked(f, 'policy.autoApprove.addPathsToExistingHosts'),
      },
      blockOnSeverity: text(f, 'policy.blockOnSeverity') || 'never',
      enforcement: Object.fromEntries(
        ['hosts', 'tls', 'classes', 'annotations', 'namespaces'].map((k) => [k, text(f, `policy.enforcement.${k}`) || 'block']),
      ),
    },
    connection: {
      kind,
      path: text(f, 'connection.path'),
      context: text(f, 'connection.context'),
      kubeconfig: text(f, 'connection.kubeconfig'),
    },
  };
}
