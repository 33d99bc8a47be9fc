import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Platform, PresenceEvent } from '../core/presence-event.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Db } from '../db/database.js';
import type { Notifier } from '../services/notifier.js';
import type { MessengerFor, ParticipantMessenger } from '../services/participant-messenger.js';
import type { ReceiveResult } from '../services/presence/presence-receiver.js';
import type { AttendanceReportSource } from '../services/reconciliation.js';
import type { CloseOutStep } from '../services/session-close-out.js';
import type { SessionEvaluator } from '../services/session-evaluator.js';

/** An inbound request as a platform's protocol code sees it: the exact bytes, never a re-parsed body. */
export interface PlainRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  /** The request's logger (carries its request id). */
  log: Logger;
}

export interface PlainResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON; a string is sent as it is; absent, an empty body. */
  body?: unknown;
}

/** Null: not this handler's request; the platform's SDK router behind it takes it (Slack's interactivity goes on to Bolt). */
export type PlainHandler = (request: PlainRequest) => Promise<PlainResponse | null>;

export interface PlainRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: PlainHandler;
  /** The largest body read, in body-parser's notation ('512kb'); 1mb when absent. */
  bodyLimit?: string;
}

/** What every module is handed: the services of one running Rollcall. */
export interface PlatformHost {
  config: Config;
  log: Logger;
  clock: Clock;
  prisma: Db;
  box: SecretBox;
  /** The clinic this deployment serves (the admin token's): new installations join it. */
  organizationId: string;
  evaluator: SessionEvaluator;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
  /** Sends participant outbox rows at once (the outbox's sweep does it otherwise, within a minute). */
  enqueueParticipantMessages(ids: string[]): Promise<void>;
  /** Any platform's participant messenger (a Zoom recording may be offered over Teams chat). */
  messengerFor: MessengerFor;
  /** The only way presence enters: stored once each, scoped to its tenant, then evaluated (services/presence/). */
  receive(events: PresenceEvent[]): Promise<ReceiveResult>;
}

/** What a module offers once attached; every part is optional. */
export interface PlatformCapabilities {
  /** Routes whose protocol code is ours, as plain handlers (src/http/platform-routes.ts serves them). */
  routes?: PlainRoute[];
  /** Where an SDK brings its own express routes (Bolt's receiver, OAuth install pages, tab pages); mounted after `routes`. */
  sdkRouter?: Router;
  /** Posts and edits staff alerts in this platform's channels. */
  notifier?: Notifier;
  messenger?: ParticipantMessenger;
  /** The platform's post-meeting participant report, merged in after a session (reconciliation). */
  reportSource?: AttendanceReportSource;
  /** Run after a session is finalized, in the platforms' slot of services/close-out-order.ts. */
  closeOutSteps?: CloseOutStep[];
  /** The only organization whose sessions this platform's event may match (its installation's); null: no installation, the first organization's. */
  organizationOf?(event: PresenceEvent): Promise<string | null>;
  /** Works stored inbound deliveries whose first attempt failed (a job calls it every minute). */
  retryStoredDeliveries?(): Promise<void>;
  /** Resolves once in-flight background work is done (before the database closes). */
  idle?(): Promise<void>;
}

export type ModuleName = Platform | 'console';

/**
 * One platform (or the console stand-in). Adding one is a folder under src/platforms/ exporting a
 * PlatformModule, and one line in registry.ts.
 */
export interface PlatformModule {
  name: ModuleName;
  attach(host: PlatformHost): Promise<PlatformCapabilities>;
}
