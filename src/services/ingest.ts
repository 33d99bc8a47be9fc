/**
 * Moved to services/presence/. Kept only for files other branches of issue 13 are rewriting
 * (jobs/engine-jobs.ts, platforms/zoom/recordings.ts); import from services/presence/ instead.
 */
export { SESSION_MATCH_MARGIN_MS } from './presence/session-window.js';
export { presenceEventRow } from './presence/presence-row.js';
