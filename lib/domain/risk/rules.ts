import { BACKEND_RULES } from './rules/backend-rules';
import { DRIFT_RULES } from './rules/drift-rules';
import { EXPOSURE_RULES } from './rules/exposure-rules';
import { HOST_RULES } from './rules/host-rules';
import { NGINX_RULES } from './rules/nginx-rules';
import { PATH_RULES } from './rules/path-rules';
import { TLS_RULES } from './rules/tls-rules';
import type { TRiskRule } from './types';

/**
 * The risk catalog (ARCHITECTURE.md "The analysis core"). Adding a rule = one entry in the category file
 * plus one row in rules.test.ts (a case that fires and a near miss that stays silent); the
 * test fails for any rule without a row.
 */
export const RULES: readonly TRiskRule[] = [
  ...NGINX_RULES,
  ...PATH_RULES,
  ...EXPOSURE_RULES,
  ...TLS_RULES,
  ...HOST_RULES,
  ...BACKEND_RULES,
  ...DRIFT_RULES,
];
