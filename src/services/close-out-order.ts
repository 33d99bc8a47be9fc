import type { CloseOutStep } from './session-close-out.js';

export interface CloseOutParts {
  /** Schedules the post-meeting reports (services/reconciliation.ts). */
  reconcile: CloseOutStep;
  /** What platform modules add (Zoom: recordings that arrived before the record was final). */
  platforms: CloseOutStep[];
  strikes: CloseOutStep;
  summary: CloseOutStep;
  /** Make-ups settled (the missed session becomes made_up), then the follow-up after a no-show. */
  care: CloseOutStep[];
  /** Steps a test adds, last. */
  extra?: CloseOutStep[];
}

/**
 * The close-out steps in the order they run (session-close-out.ts runs them one by one and retries
 * from the first). Strikes come before the summary, so the summary counts the follow-ups they open.
 */
export function orderCloseOutSteps(parts: CloseOutParts): CloseOutStep[] {
  return [parts.reconcile, ...parts.platforms, parts.strikes, parts.summary, ...parts.care, ...(parts.extra ?? [])];
}
