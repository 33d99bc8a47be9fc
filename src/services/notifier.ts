import type { Platform } from '../core/presence-event.js';
import type { AlertMessage } from '../core/alert-message.js';

/** Where an alert goes: a program's staff channel on one chat platform. */
export interface ChannelRef {
  organizationId: string;
  platform: Platform;
  channelId: string;
}

/**
 * A chat platform seen from the alert outbox. Renderers (Block Kit, Adaptive Cards, Zoom chatbot
 * content) live behind this in platforms/<name>/notify.ts; the outbox only knows the neutral model.
 */
export interface PostHint {
  /** An earlier attempt to post this alert may have reached the platform (a crash or timeout after sending). */
  mayHaveBeenPosted?: boolean;
}

export interface Notifier {
  post(channel: ChannelRef, message: AlertMessage, hint?: PostHint): Promise<{ messageId: string }>;
  update(channel: ChannelRef, messageId: string, message: AlertMessage): Promise<void>;
}

/** A failed delivery: retryable ones go back to the queue (after Retry-After when the platform gave one). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
