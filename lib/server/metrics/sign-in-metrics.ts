import { metrics } from './registry';

/**
 * The hook for failed sign-ins (`ingress_gate_sign_in_failures_total{reason}`): call it wherever a
 * sign-in is refused — wrong credentials, deactivated account, throttled.
 */
export function recordSignInFailure(reason: string): void {
  metrics().signInFailures.inc({ reason });
}
