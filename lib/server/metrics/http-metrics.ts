import { isUuid } from '@/lib/domain/text/uuid';
import { metrics } from './registry';

/**
 * A URL path → its route pattern (`/api/v1/change-requests/:id/reviews`), so the label set stays
 * small however many ids are requested.
 */
export function routePattern(pathname: string): string {
  return (
    pathname
      .split('/')
      .map((segment) => (isUuid(segment) || /^\d+$/.test(segment) || /^igt_/.test(segment) ? ':id' : segment))
      .slice(0, 6)
      .join('/') || '/'
  );
}

/** Records one HTTP request's duration for `ingress_gate_http_request_duration_seconds`. */
export function observeHttpRequest(method: string, pathname: string, status: number, seconds: number): void {
  metrics().httpDuration.observe({ method, route: routePattern(pathname), status: String(status) }, seconds);
}
