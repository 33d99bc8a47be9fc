import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import type { DashboardLiveFeed } from '../../services/dashboard-live-feed.js';
import type { AuthLimiter } from '../auth-limiter.js';
import type { CookieSettings } from './staff-guard.js';
import type { Signer } from '../../crypto/signed-token.js';
import type { SignInProvider } from '../../services/sign-in/provider.js';
import type { MessengerFor } from '../../services/participant-messenger.js';

export interface DashboardDeps {
  prisma: Db;
  /** Which platforms can be connected, and the key Connect states are signed with. */
  config: Config;
  clock: Clock;
  evaluator: SessionEvaluator;
  liveFeed: DashboardLiveFeed;
  /** Starts delivery of changed alerts now (a FollowUp closed here edits its alert at once). */
  enqueueDeliveries(alertIds: string[]): Promise<void>;
  cookies: CookieSettings;
  /** Arms the engine's deadlines for sessions set up here (the same hook the admin API calls). */
  afterSessionsCreated(sessionIds: string[]): Promise<void>;
  /** After a participant is enrolled here: the intake message, weekly progress planned. */
  afterEnrolled(input: { organizationId: string; programId: string; participantId: string }): Promise<void>;
  /** Failed sign-ins counted per address, shared with the admin API (http/auth-limiter.ts). */
  authLimiter: AuthLimiter;
  /** "Sign in with Slack/Microsoft/Zoom": the configured providers and the signer of their state. */
  signIn: { providers: SignInProvider[]; signer: Signer; publicUrl: string };
  /** Which platforms Rollcall can write to participants on: the participant page says which one it would use. */
  messengerFor: MessengerFor;
}
