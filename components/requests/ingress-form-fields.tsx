'use client';

import { useState, type ReactNode } from 'react';
import { btnSecondary } from '@/components/ui/buttons';
import { Field, input } from '@/components/ui/field';

// String-only form state (inputs hold text); converted to ZIngressForm's shape on use.
export type TFormState = {
  name: string;
  ingressClassName: string;
  rules: { host: string; paths: { path: string; pathType: string; serviceName: string; servicePort: string }[] }[];
  tls: { hosts: string; secretName: string }[];
  labels: { key: string; value: string }[];
  annotations: { key: string; value: string }[];
};
type TRule = TFormState['rules'][number];
type TPath = TRule['paths'][number];

const NEW_PATH: TPath = { path: '/', pathType: 'Prefix', serviceName: '', servicePort: '' };
export const EMPTY_FORM: TFormState = {
  name: '',
  ingressClassName: '',
  rules: [{ host: '', paths: [NEW_PATH] }],
  tls: [],
  labels: [],
  annotations: [],
};

/**
 * Which errors to show: a control's errors appear once it was left (blurred) or the form was
 * submitted (`revealAll`), so an untouched form is not red. `error(id, ...paths)` answers for one
 * control and `touch(id)` is its onBlur.
 */
type TErrorView = { error: (id: string, ...paths: string[]) => string | undefined; touch: (id: string) => void };

function useErrorView(errors: Map<string, string>, revealAll: boolean, onTouched?: () => void): TErrorView {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  return {
    error: (id, ...paths) => (revealAll || touched.has(id) ? paths.map((p) => errors.get(p)).find(Boolean) : undefined),
    touch: (id) => {
      if (touched.has(id)) return;
      setTouched(new Set(touched).add(id));
      onTouched?.();
    },
  };
}

// Controls start below their label (items-start), so an error under one control never shifts the
// others; buttons without a label sit at the controls' height (mt-4 = the label's line).
function Row({ children }: { children: ReactNode }) {
  return <div className="flex flex-wrap items-start gap-2">{children}</div>;
}
const rowButton = `${btnSecondary} mt-4`;

/**
 * The structured form. Every control has a label (visible, or aria-label naming its row) and
 * errors appear under the field they belong to (paths as in ZIngressForm: `form.rules.0.paths.0.serviceName`).
 */
export function IngressFormFields({
  value,
  onChange,
  errors,
  revealAll = false,
  onTouched,
  isNameLocked,
  classes,
}: {
  value: TFormState;
  onChange: (v: TFormState) => void;
  errors: Map<string, string>;
  /** Show every error (after a submit); otherwise only those of controls the user has left. */
  revealAll?: boolean;
  /** Called when the user first leaves a control. */
  onTouched?: () => void;
  isNameLocked: boolean;
  classes: string[];
}) {
  const view = useErrorView(errors, revealAll, onTouched);
  const set = (patch: Partial<TFormState>) => onChange({ ...value, ...patch });
  const setRule = (i: number, rule: TRule) => set({ rules: value.rules.map((r, j) => (j === i ? rule : r)) });
  return (
    <div className="space-y-4" data-testid="ingress-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="form-name" label="Ingress name" error={view.error('form-name', 'form.name', 'metadata.name')} errorTestId="field-error">
          {(c) => (
            <input
              {...c}
              className={input}
              value={value.name}
              readOnly={isNameLocked}
              onBlur={() => view.touch('form-name')}
              onChange={(e) => set({ name: e.target.value })}
            />
          )}
        </Field>
        <Field id="form-class" label="Ingress class" error={view.error('form-class', 'spec.ingressClassName')} errorTestId="field-error">
          {(c) => (
            <>
              <input
                {...c}
                className={input}
                list="ingress-classes"
                value={value.ingressClassName}
                onBlur={() => view.touch('form-class')}
                onChange={(e) => set({ ingressClassName: e.target.value })}
              />
              <datalist id="ingress-classes">
                {classes.map((cls) => (
                  <option key={cls} value={cls} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>

      <fieldset className="space-y-3 rounded border border-slate-200 p-3">
        <legend className="px-1 text-sm font-semibold">Rules</legend>
        {value.rules.map((rule, i) => (
          <RuleFields
            key={i}
            index={i}
            rule={rule}
            view={view}
            onChange={(r) => setRule(i, r)}
            onRemove={() => set({ rules: value.rules.filter((_, j) => j !== i) })}
          />
        ))}
        <button type="button" className={btnSecondary} onClick={() => set({ rules: [...value.rules, { host: '', paths: [NEW_PATH] }] })}>
          Add rule
        </button>
      </fieldset>

      <TlsRows rows={value.tls} onChange={(tls) => set({ tls })} />
      <KeyValueRows
        title="Labels"
        noun="Label"
        idPrefix="label"
        field="labels"
        rows={value.labels}
        view={view}
        onChange={(labels) => set({ labels })}
      />
      <KeyValueRows
        title="Annotations"
        noun="Annotation"
        idPrefix="ann"
        field="annotations"
        rows={value.annotations}
        view={view}
        onChange={(annotations) => set({ annotations })}
      />
    </div>
  );
}

/** One rule: its host and its paths. */
function RuleFields({
  index: i,
  rule,
  view,
  onChange,
  onRemove,
}: {
  index: number;
  rule: TRule;
  view: TErrorView;
  onChange: (r: TRule) => void;
  onRemove: () => void;
}) {
  const hostId = `rule-${i}-host`;
  // "Add at least one path": shown once the last path was removed (or after a submit).
  const pathsError = view.error(`rule-${i}-paths`, `form.rules.${i}.paths`);
  return (
    <div className="space-y-2 rounded border border-slate-100 bg-slate-50 p-2">
      <Row>
        <Field
          id={hostId}
          label={`Rule ${i + 1} host`}
          className="min-w-48 flex-1"
          error={view.error(hostId, `spec.rules[${i}].host`)}
          errorTestId="field-error"
        >
          {(c) => (
            <input
              {...c}
              className={input}
              placeholder="shop.example.com"
              value={rule.host}
              onBlur={() => view.touch(hostId)}
              onChange={(e) => onChange({ ...rule, host: e.target.value })}
            />
          )}
        </Field>
        <button type="button" className={rowButton} onClick={onRemove} aria-label={`Remove rule ${i + 1}`}>
          Remove rule
        </button>
      </Row>
      {rule.paths.map((p, k) => (
        <PathRow
          key={k}
          rule={i}
          index={k}
          path={p}
          view={view}
          onChange={(patch) => onChange({ ...rule, paths: rule.paths.map((q, m) => (m === k ? { ...q, ...patch } : q)) })}
          onRemove={() => {
            view.touch(`rule-${i}-paths`);
            onChange({ ...rule, paths: rule.paths.filter((_, m) => m !== k) });
          }}
        />
      ))}
      {pathsError && (
        <p className="mt-0.5 text-xs text-red-700" data-testid="field-error">
          {pathsError}
        </p>
      )}
      <button type="button" className={btnSecondary} onClick={() => onChange({ ...rule, paths: [...rule.paths, NEW_PATH] })}>
        Add path to rule {i + 1}
      </button>
    </div>
  );
}

/** One path of a rule: path, type, backend service and port, aligned on one line. */
function PathRow({
  rule: i,
  index: k,
  path: p,
  view,
  onChange,
  onRemove,
}: {
  rule: number;
  index: number;
  path: TPath;
  view: TErrorView;
  onChange: (patch: Partial<TPath>) => void;
  onRemove: () => void;
}) {
  const id = `r${i}p${k}`;
  const name = `Rule ${i + 1} path ${k + 1}`;
  const base = `form.rules.${i}.paths.${k}`;
  const text = (suffix: string, label: string, width: string, key: 'path' | 'serviceName' | 'servicePort', ...paths: string[]) => (
    <Field id={`${id}-${suffix}`} label={label} className={width} error={view.error(`${id}-${suffix}`, ...paths)} errorTestId="field-error">
      {(c) => (
        <input
          {...c}
          aria-label={suffix === 'path' ? name : `${name} ${suffix === 'svc' ? 'service' : 'port'}`}
          className={input}
          value={p[key]}
          onBlur={() => view.touch(`${id}-${suffix}`)}
          onChange={(e) => onChange({ [key]: e.target.value })}
        />
      )}
    </Field>
  );
  return (
    <Row>
      {text('path', 'Path', 'w-40', 'path', `spec.rules[${i}].http.paths[${k}].path`)}
      <Field id={`${id}-type`} label="Path type" className="w-44">
        {(c) => (
          <select
            {...c}
            aria-label={`${name} type`}
            className={input}
            value={p.pathType}
            onChange={(e) => onChange({ pathType: e.target.value })}
          >
            <option>Prefix</option>
            <option>Exact</option>
            <option>ImplementationSpecific</option>
          </select>
        )}
      </Field>
      {text('svc', 'Service', 'w-44', 'serviceName', `${base}.serviceName`)}
      {text('port', 'Port', 'w-28', 'servicePort', `${base}.servicePort`)}
      <button type="button" className={rowButton} aria-label={`Remove path ${k + 1} of rule ${i + 1}`} onClick={onRemove}>
        ✕
      </button>
    </Row>
  );
}

/** TLS entries: hosts (comma-separated) and the secret. */
function TlsRows({ rows, onChange }: { rows: TFormState['tls']; onChange: (rows: TFormState['tls']) => void }) {
  const update = (i: number, patch: Partial<TFormState['tls'][number]>) => onChange(rows.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <fieldset className="space-y-2 rounded border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">TLS</legend>
      {rows.map((t, i) => (
        <Row key={i}>
          <Field id={`tls-${i}-hosts`} label={`TLS ${i + 1} hosts (comma-separated)`} className="min-w-48 flex-1">
            {(c) => <input {...c} className={input} value={t.hosts} onChange={(e) => update(i, { hosts: e.target.value })} />}
          </Field>
          <Field id={`tls-${i}-secret`} label={`TLS ${i + 1} secret`} className="w-60">
            {(c) => <input {...c} className={input} value={t.secretName} onChange={(e) => update(i, { secretName: e.target.value })} />}
          </Field>
          <button
            type="button"
            className={rowButton}
            aria-label={`Remove TLS entry ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </Row>
      ))}
      <button type="button" className={btnSecondary} onClick={() => onChange([...rows, { hosts: '', secretName: '' }])}>
        Add TLS entry
      </button>
    </fieldset>
  );
}

/** Key/value rows (labels, annotations): one labelled key and value input per row. */
function KeyValueRows({
  title,
  noun,
  idPrefix,
  field,
  rows,
  view,
  onChange,
}: {
  title: string;
  noun: string;
  idPrefix: string;
  field: 'labels' | 'annotations';
  rows: { key: string; value: string }[];
  view: TErrorView;
  onChange: (rows: { key: string; value: string }[]) => void;
}) {
  const lower = noun.toLowerCase();
  const update = (i: number, patch: Partial<{ key: string; value: string }>) =>
    onChange(rows.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <fieldset className="space-y-2 rounded border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">{title}</legend>
      {rows.map((row, i) => (
        <Row key={i}>
          <Field
            id={`${idPrefix}-${i}-key`}
            label={`${noun} ${i + 1} key`}
            className="min-w-48 flex-1"
            error={view.error(`${idPrefix}-${i}-key`, `form.${field}.${i}.key`)}
            errorTestId="field-error"
          >
            {(c) => (
              <input
                {...c}
                className={`${input} font-mono`}
                value={row.key}
                onBlur={() => view.touch(`${idPrefix}-${i}-key`)}
                onChange={(e) => update(i, { key: e.target.value })}
              />
            )}
          </Field>
          <Field id={`${idPrefix}-${i}-value`} label={`${noun} ${i + 1} value`} className="min-w-48 flex-1">
            {(c) => (
              <input {...c} className={`${input} font-mono`} value={row.value} onChange={(e) => update(i, { value: e.target.value })} />
            )}
          </Field>
          <button
            type="button"
            className={rowButton}
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
