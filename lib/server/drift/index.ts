// Drift detection and remediation (issue 8). The worker calls startDriftWatch; tests and
// polling call detectDriftOnce; the drift page calls listDrift, restoreApprovedState and adoptLiveState.
export { startDriftWatch, type TDriftWatch, type TDriftWatchOptions } from './start-drift-watch';
export { detectDriftOnce, type TDetectSummary } from './detect-drift-once';
export { listDrift, type TDriftOverview, type TDriftItem } from './list-drift';
export { restoreApprovedState } from './restore-approved-state';
export { adoptLiveState } from './adopt-live-state';
export type { TDriftDetails, TRemediation } from './drift-details';
