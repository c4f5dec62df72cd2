import type { DocumentOptions, ParseOptions, ScalarTag, SchemaOptions, Tags } from 'yaml';

// Kubernetes decodes YAML with go-yaml v2 (YAML 1.1 rules: `on`/`yes` are booleans), so we parse
// with 1.1 too — an unquoted `on` annotation value is rejected here as it would be there. Where
// the `yaml` package's 1.1 schema and go-yaml disagree, go-yaml wins:
// - timestamps, binary, omap, pairs, set and sexagesimal (`12:30`) stay strings in untyped context;
// - floats need a digit: go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`. The
//   package's 1.1 float patterns also match `e1`, `e10`, `e-1` and `.`, which would turn valid
//   names into NaN (issue 12, item 7).
const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
]);
const FLOAT_TAG = 'tag:yaml.org,2002:float';
const INF_NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** go-yaml's float (underscores are removed before matching, as go-yaml does). */
const GO_FLOAT: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: FLOAT_TAG,
  test: /^[-+]?(?:\.[0-9_]*[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/,
  resolve: (str: string) => Number.parseFloat(str.replace(/_/g, '')),
};

function k8sTags(tags: Tags): Tags {
  const out: Tags = [];
  for (const t of tags) {
    const tag = typeof t === 'string' ? t : t.tag;
    const format = typeof t === 'string' ? undefined : t.format;
    if (DROPPED_TAGS.has(tag) || format === 'TIME') continue;
    // Keep `.inf`/`.nan`; replace the package's digit-less float patterns with go-yaml's.
    if (tag === FLOAT_TAG && typeof t !== 'string' && String(t.test) !== String(INF_NAN_RE)) {
      if (!out.includes(GO_FLOAT)) out.push(GO_FLOAT);
      continue;
    }
    out.push(t);
  }
  return out;
}

/** The options parseIngress hands to the `yaml` package. */
export const K8S_YAML_OPTIONS = {
  uniqueKeys: true,
  version: '1.1',
  customTags: k8sTags,
  prettyErrors: false,
  strict: true,
} as const satisfies ParseOptions & DocumentOptions & SchemaOptions;
