'use client';

import { label } from '@/components/ui/field';

export type TGroupOption = { id: string; name: string; description: string; eligibleMembers: string[] };

/** Reviewer groups the requester may name in the chosen environment (each lists who of it may approve there). */
export function ReviewerGroupPicker({
  environmentName,
  groups,
  chosen,
  onChange,
}: {
  environmentName: string;
  groups: TGroupOption[];
  chosen: string[];
  onChange: (next: string[]) => void;
}) {
  if (!groups.length) return null;
  return (
    <fieldset data-testid="reviewer-groups-picker">
      <legend className={label}>Reviewer groups (optional)</legend>
      <p className="text-xs text-slate-600">
        Members of a named group who may approve in {environmentName} are asked, as if named one by one.
      </p>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {groups.map((g) => (
          <label key={g.id} className="inline-flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              name="reviewerGroups"
              value={g.name}
              checked={chosen.includes(g.name)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, g.name] : chosen.filter((x) => x !== g.name))}
            />
            {g.name} <span className="text-slate-500">({g.eligibleMembers.join(', ')})</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
