'use client';

import { btnSecondary, input, label } from '@/components/ui/buttons';

// String-only form state (inputs hold text); converted to ZIngressForm's shape on use.
export type TFormState = {
  name: string;
  ingressClassName: string;
  rules: { host: string; paths: { path: string; pathType: string; serviceName: string; servicePort: string }[] }[];
  tls: { hosts: string; secretName: string }[];
  labels: { key: string; value: string }[];
  annotations: { key: string; value: string }[];
};

export const EMPTY_FORM: TFormState = {
  name: '',
  ingressClassName: '',
  rules: [{ host: '', paths: [{ path: '/', pathType: 'Prefix', serviceName: '', servicePort: '' }] }],
  tls: [],
  labels: [],
  annotations: [],
};

type TErrors = Map<string, string>;

function FieldError({ errors, path }: { errors: TErrors; path: string }) {
  const message = errors.get(path);
  if (!message) return null;
  return (
    <p className="mt-0.5 text-xs text-red-700" data-testid="field-error">
      {message}
    </p>
  );
}

function Row({ children }: { children: React.ReactNode }) {
  return <div className="flex flex-wrap items-end gap-2">{children}</div>;
}

/**
 * The structured form. Every control has a label (visible, or aria-label naming its row) and
 * errors appear under the field they belong to (paths as in ZIngressForm: `form.rules.0.paths.0.serviceName`).
 */
export function IngressFormFields({
  value,
  onChange,
  errors,
  isNameLocked,
  classes,
}: {
  value: TFormState;
  onChange: (v: TFormState) => void;
  errors: TErrors;
  isNameLocked: boolean;
  classes: string[];
}) {
  const set = (patch: Partial<TFormState>) => onChange({ ...value, ...patch });
  const setRule = (i: number, rule: TFormState['rules'][number]) => set({ rules: value.rules.map((r, j) => (j === i ? rule : r)) });
  return (
    <div className="space-y-4" data-testid="ingress-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor="form-name" className={label}>
            Ingress name
          </label>
          <input
            id="form-name"
            className={input}
            value={value.name}
            readOnly={isNameLocked}
            aria-invalid={errors.has('form.name') || errors.has('metadata.name')}
            onChange={(e) => set({ name: e.target.value })}
          />
          <FieldError errors={errors} path="form.name" />
          <FieldError errors={errors} path="metadata.name" />
        </div>
        <div>
          <label htmlFor="form-class" className={label}>
            Ingress class
          </label>
          <input
            id="form-class"
            className={input}
            list="ingress-classes"
            value={value.ingressClassName}
            onChange={(e) => set({ ingressClassName: e.target.value })}
          />
          <datalist id="ingress-classes">
            {classes.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <FieldError errors={errors} path="spec.ingressClassName" />
        </div>
      </div>

      <fieldset className="space-y-3 rounded border border-slate-200 p-3">
        <legend className="px-1 text-sm font-semibold">Rules</legend>
        {value.rules.map((rule, i) => (
          <div key={i} className="space-y-2 rounded border border-slate-100 bg-slate-50 p-2">
            <Row>
              <div className="min-w-48 flex-1">
                <label htmlFor={`rule-${i}-host`} className={label}>
                  Rule {i + 1} host
                </label>
                <input
                  id={`rule-${i}-host`}
                  className={input}
                  placeholder="shop.example.com"
                  value={rule.host}
                  onChange={(e) => setRule(i, { ...rule, host: e.target.value })}
                />
                <FieldError errors={errors} path={`spec.rules[${i}].host`} />
              </div>
              <button
                type="button"
                className={btnSecondary}
                onClick={() => set({ rules: value.rules.filter((_, j) => j !== i) })}
                aria-label={`Remove rule ${i + 1}`}
              >
                Remove rule
              </button>
            </Row>
            {rule.paths.map((p, k) => {
              const setPath = (patch: Partial<typeof p>) =>
                setRule(i, { ...rule, paths: rule.paths.map((q, m) => (m === k ? { ...q, ...patch } : q)) });
              const base = `form.rules.${i}.paths.${k}`;
              return (
                <Row key={k}>
                  <div className="w-40">
                    <label htmlFor={`r${i}p${k}-path`} className={label}>
                      Path
                    </label>
                    <input
                      id={`r${i}p${k}-path`}
                      aria-label={`Rule ${i + 1} path ${k + 1}`}
                      className={input}
                      value={p.path}
                      onChange={(e) => setPath({ path: e.target.value })}
                    />
                    <FieldError errors={errors} path={`spec.rules[${i}].http.paths[${k}].path`} />
                  </div>
                  <div className="w-44">
                    <label htmlFor={`r${i}p${k}-type`} className={label}>
                      Path type
                    </label>
                    <select
                      id={`r${i}p${k}-type`}
                      aria-label={`Rule ${i + 1} path ${k + 1} type`}
                      className={input}
                      value={p.pathType}
                      onChange={(e) => setPath({ pathType: e.target.value })}
                    >
                      <option>Prefix</option>
                      <option>Exact</option>
                      <option>ImplementationSpecific</option>
                    </select>
                  </div>
                  <div className="w-44">
                    <label htmlFor={`r${i}p${k}-svc`} className={label}>
                      Service
                    </label>
                    <input
                      id={`r${i}p${k}-svc`}
                      aria-label={`Rule ${i + 1} path ${k + 1} service`}
                      className={input}
                      value={p.serviceName}
                      aria-invalid={errors.has(`${base}.serviceName`)}
                      onChange={(e) => setPath({ serviceName: e.target.value })}
                    />
                    <FieldError errors={errors} path={`${base}.serviceName`} />
                  </div>
                  <div className="w-28">
                    <label htmlFor={`r${i}p${k}-port`} className={label}>
                      Port
                    </label>
                    <input
                      id={`r${i}p${k}-port`}
                      aria-label={`Rule ${i + 1} path ${k + 1} port`}
                      className={input}
                      value={p.servicePort}
                      aria-invalid={errors.has(`${base}.servicePort`)}
                      onChange={(e) => setPath({ servicePort: e.target.value })}
                    />
                    <FieldError errors={errors} path={`${base}.servicePort`} />
                  </div>
                  <button
                    type="button"
                    className={btnSecondary}
                    aria-label={`Remove path ${k + 1} of rule ${i + 1}`}
                    onClick={() => setRule(i, { ...rule, paths: rule.paths.filter((_, m) => m !== k) })}
                  >
                    ✕
                  </button>
                </Row>
              );
            })}
            <FieldError errors={errors} path={`form.rules.${i}.paths`} />
            <button
              type="button"
              className={btnSecondary}
              onClick={() =>
                setRule(i, { ...rule, paths: [...rule.paths, { path: '/', pathType: 'Prefix', serviceName: '', servicePort: '' }] })
              }
            >
              Add path to rule {i + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          className={btnSecondary}
          onClick={() =>
            set({ rules: [...value.rules, { host: '', paths: [{ path: '/', pathType: 'Prefix', serviceName: '', servicePort: '' }] }] })
          }
        >
          Add rule
        </button>
      </fieldset>

      <fieldset className="space-y-2 rounded border border-slate-200 p-3">
        <legend className="px-1 text-sm font-semibold">TLS</legend>
        {value.tls.map((t, i) => (
          <Row key={i}>
            <div className="min-w-48 flex-1">
              <label htmlFor={`tls-${i}-hosts`} className={label}>
                TLS {i + 1} hosts (comma-separated)
              </label>
              <input
                id={`tls-${i}-hosts`}
                className={input}
                value={t.hosts}
                onChange={(e) => set({ tls: value.tls.map((x, j) => (j === i ? { ...x, hosts: e.target.value } : x)) })}
              />
            </div>
            <div className="w-60">
              <label htmlFor={`tls-${i}-secret`} className={label}>
                TLS {i + 1} secret
              </label>
              <input
                id={`tls-${i}-secret`}
                className={input}
                value={t.secretName}
                onChange={(e) => set({ tls: value.tls.map((x, j) => (j === i ? { ...x, secretName: e.target.value } : x)) })}
              />
            </div>
            <button
              type="button"
              className={btnSecondary}
              aria-label={`Remove TLS entry ${i + 1}`}
              onClick={() => set({ tls: value.tls.filter((_, j) => j !== i) })}
            >
              ✕
            </button>
          </Row>
        ))}
        <button type="button" className={btnSecondary} onClick={() => set({ tls: [...value.tls, { hosts: '', secretName: '' }] })}>
          Add TLS entry
        </button>
      </fieldset>

      <KeyValueRows
        title="Labels"
        noun="Label"
        idPrefix="label"
        field="labels"
        rows={value.labels}
        errors={errors}
        onChange={(labels) => set({ labels })}
      />
      <KeyValueRows
        title="Annotations"
        noun="Annotation"
        idPrefix="ann"
        field="annotations"
        rows={value.annotations}
        errors={errors}
        onChange={(annotations) => set({ annotations })}
      />
    </div>
  );
}

/** Key/value rows (labels, annotations): one labelled key and value input per row. */
function KeyValueRows({
  title,
  noun,
  idPrefix,
  field,
  rows,
  errors,
  onChange,
}: {
  title: string;
  noun: string;
  idPrefix: string;
  field: 'labels' | 'annotations';
  rows: { key: string; value: string }[];
  errors: TErrors;
  onChange: (rows: { key: string; value: string }[]) => void;
}) {
  const lower = noun.toLowerCase();
  return (
    <fieldset className="space-y-2 rounded border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">{title}</legend>
      {rows.map((row, i) => (
        <Row key={i}>
          <div className="min-w-48 flex-1">
            <label htmlFor={`${idPrefix}-${i}-key`} className={label}>
              {noun} {i + 1} key
            </label>
            <input
              id={`${idPrefix}-${i}-key`}
              className={`${input} font-mono`}
              value={row.key}
              onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
            />
            <FieldError errors={errors} path={`form.${field}.${i}.key`} />
          </div>
          <div className="min-w-48 flex-1">
            <label htmlFor={`${idPrefix}-${i}-value`} className={label}>
              {noun} {i + 1} value
            </label>
            <input
              id={`${idPrefix}-${i}-value`}
              className={`${input} font-mono`}
              value={row.value}
              onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
            />
          </div>
          <button
            type="button"
            className={btnSecondary}
            aria-label={`Remove ${lower} ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </Row>
      ))}
      <button type="button" className={btnSecondary} onClick={() => onChange([...rows, { key: '', value: '' }])}>
        Add {lower}
      </button>
    </fieldset>
  );
}
