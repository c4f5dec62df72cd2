'use client';

import type { RefObject } from 'react';
import { ErrorNote } from '@/components/ui/error-note';
import { IngressFormFields, type TFormState } from './ingress-form-fields';
import type { TEditorMode, TFieldError } from './new-request-form-state';
import { YamlEditor, type TLineIssue, type TYamlEditorHandle } from './yaml-editor';
import { YamlIssueList } from './yaml-issue-list';

/** "Proposed Ingress": the form or the YAML editor (with a file picker), its problems and a taken name. */
export function NewRequestManifest({
  mode,
  onMode,
  switchNote,
  form,
  onForm,
  formErrors,
  isRevealed,
  onTouched,
  isNameLocked,
  classes,
  yaml,
  onYaml,
  editor,
  yamlIssues,
  findingMarks,
  onFile,
  problems,
  existsIn,
}: {
  mode: TEditorMode;
  onMode: (m: TEditorMode) => void;
  switchNote: string | null;
  form: TFormState;
  onForm: (f: TFormState) => void;
  formErrors: Map<string, string>;
  /** Every form error is shown (after a submit); otherwise only those of fields the user left. */
  isRevealed: boolean;
  onTouched: () => void;
  isNameLocked: boolean;
  classes: string[];
  yaml: string;
  onYaml: (v: string) => void;
  editor: RefObject<TYamlEditorHandle | null>;
  yamlIssues: TLineIssue[];
  findingMarks: TLineIssue[];
  onFile: (f: File) => void;
  /** The form's problems, summarised under it once revealed. */
  problems: TFieldError[];
  /** The namespace where an Ingress of the proposed name already exists (a create), else null. */
  existsIn: string | null;
}) {
  return (
    <section aria-labelledby="nr-manifest" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="nr-manifest" className="text-sm font-semibold">
          Proposed Ingress
        </h2>
        <EditorTabs mode={mode} onMode={onMode} />
      </div>
      {switchNote && (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {switchNote}
        </p>
      )}
      {mode === 'form' ? (
        <IngressFormFields
          value={form}
          onChange={onForm}
          errors={formErrors}
          revealAll={isRevealed}
          onTouched={onTouched}
          isNameLocked={isNameLocked}
          classes={classes}
        />
      ) : (
        <>
          <YamlEditor
            ref={editor}
            id="nr-yaml"
            label="Ingress YAML"
            value={yaml}
            onChange={onYaml}
            issues={[...yamlIssues, ...findingMarks]}
            onFile={onFile}
          />
          <FilePicker onFile={onFile} />
          <YamlIssueList issues={yamlIssues} onLine={(line) => editor.current?.goToLine(line)} />
        </>
      )}
      {mode === 'form' && isRevealed && problems.length > 0 && (
        <p className="text-xs text-red-700" data-testid="form-issue-count">
          {problems.length} problem{problems.length === 1 ? '' : 's'}:{' '}
          {problems
            .slice(0, 3)
            .map((i) => i.message)
            .join(' · ')}
        </p>
      )}
      {existsIn !== null && (
        <ErrorNote testId="exists">An Ingress with this name already exists in {existsIn}; propose an update instead.</ErrorNote>
      )}
    </section>
  );
}

/** Form | YAML. */
function EditorTabs({ mode, onMode }: { mode: TEditorMode; onMode: (m: TEditorMode) => void }) {
  return (
    <div role="tablist" aria-label="Editor" className="inline-flex rounded border border-slate-300 p-0.5">
      {(['form', 'yaml'] as const).map((m) => (
        <button
          key={m}
          type="button"
          role="tab"
          aria-selected={mode === m}
          onClick={() => onMode(m)}
          className={`rounded px-3 py-1 text-sm ${mode === m ? 'bg-slate-800 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
        >
          {m === 'form' ? 'Form' : 'YAML'}
        </button>
      ))}
    </div>
  );
}

function FilePicker({ onFile }: { onFile: (f: File) => void }) {
  return (
    <p className="text-xs text-slate-600">
      Drop a .yaml or .json file on the editor, or{' '}
      <label className="cursor-pointer text-blue-800 underline">
        choose a file
        <input
          type="file"
          accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
          className="sr-only"
          data-testid="nr-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) onFile(f);
            e.target.value = '';
          }}
        />
      </label>
      . Files are read as UTF-8; anything else is refused with its line.
    </p>
  );
}

/** A delete: the live manifest that will be removed. */
export function NewRequestDeleteTarget({ target, yaml }: { target: string | null; yaml: string | null }) {
  return (
    <section aria-labelledby="nr-delete" className="space-y-2 rounded-lg border border-red-200 bg-white p-4">
      <h2 id="nr-delete" className="text-sm font-semibold text-red-900">
        Delete {target ?? 'an Ingress'}
      </h2>
      {yaml !== null ? (
        <YamlEditor id="nr-delete-yaml" label="Live manifest to delete" value={yaml} readOnly issues={[]} rows={12} />
      ) : (
        <p className="text-sm text-slate-600">Choose the live Ingress to delete.</p>
      )}
    </section>
  );
}
