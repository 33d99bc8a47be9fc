import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import type { DashboardLiveFeed } from '../../services/dashboard-live-feed.js';
import type { AuthLimiter } from '../auth-limiter.js';
import type { CookieSettings } from './staff-guard.js';
import type { SiteConfig } from '../site/site-routes.js';

export interface DashboardDeps {
  prisma: Db;
  clock: Clock;
  evaluator: SessionEvaluator;
  liveFeed: DashboardLiveFeed;
  /** Starts delivery of changed alerts now (a FollowUp closed here edits its alert at once). */
  enqueueDeliveries(alertIds: string[]): Promise<void>;
  cookies: CookieSettings;
  /** Failed sign-ins counted per address, shared with the admin API (http/auth-limiter.ts). */
  authLimiter: AuthLimiter;
  /** The public face (landing and legal pages) and the retention period the Leaving page states. */
  config: SiteConfig;
}
