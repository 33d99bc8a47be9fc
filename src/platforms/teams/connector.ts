import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { TeamsInbound } from '../../config.js';
import { DeliveryError } from '../../services/notifier.js';
import { isLoopbackUrl } from './service-url.js';

export interface ConnectorFailure {
  error: DeliveryError;
  status: number | null;
  /** The connector may have done the work although we got no clear answer (a 5xx, a timeout, a dropped connection). */
  uncertain: boolean;
}

/**
 * Bot Connector answers mapped onto the outbox's retry decision (PLATFORMS.md, Teams limits):
 * 429 (with Retry-After), 412, 502, 504 and other 5xx pass; 401, 403 (bot blocked, removed, not in
 * roster) and 404 (conversation gone) will not pass by retrying, nor will other 4xx.
 */
export function classifyConnectorError(error: unknown, operation: string): ConnectorFailure {
  const e = (error ?? {}) as { statusCode?: number; code?: string; message?: string; response?: { headers?: { get?(name: string): string | undefined } & Record<string, unknown> } };
  const status = typeof e.statusCode === 'number' ? e.statusCode : null;
  if (status === null) {
    // No HTTP answer: a refused or dropped connection, a timeout. The request may have arrived.
    return { error: new DeliveryError(`teams ${operation}: request failed (${e.code ?? 'no answer'})`, true), status, uncertain: true };
  }
  if (status === 429) {
    const header = e.response?.headers?.get?.('retry-after') ?? (e.response?.headers?.['retry-after'] as string | undefined);
    const seconds = Number(header);
    const after = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 1;
    return { error: new DeliveryError(`teams ${operation}: throttled (429), retry after ${after}s`, true, after), status, uncertain: false };
  }
  if (status === 412) return { error: new DeliveryError(`teams ${operation}: precondition failed (412)`, true), status, uncertain: false };
  if (status >= 500) return { error: new DeliveryError(`teams ${operation}: HTTP ${status}`, true), status, uncertain: true };
  const why: Record<number, string> = { 401: 'not authorized (check MICROSOFT_APP_ID/PASSWORD)', 403: 'forbidden (bot blocked, removed or not in the roster)', 404: 'conversation or message not found' };
  return { error: new DeliveryError(`teams ${operation}: ${why[status] ?? `HTTP ${status}`}`, false), status, uncertain: false };
}

/**
 * Retries belong to the outbox, which knows what a retry may duplicate: the connector SDK's own
 * pipeline would repeat a POST after a 502 or 504 that may have posted already. Removed from every
 * connector client the adapter makes (inbound turns and proactive ones).
 */
export function withoutSdkRetries(adapter: CloudAdapter): void {
  adapter.use(async (context, next) => {
    const connector = context.turnState.get(adapter.ConnectorClientKey) as { client?: { pipeline?: { removePolicy(options: { phase: 'Retry' }): unknown } } } | undefined;
    connector?.client?.pipeline?.removePolicy({ phase: 'Retry' });
    await next();
  });
}

/**
 * Proactive writes: a new post in a stored conversation, and edits of it. With Teams off nothing is
 * sent; under the development switch only to a connector on this machine (a reference stored
 * before may name any URL).
 */
export function createConnectorWriter(adapter: CloudAdapter, appId: string, inbound: TeamsInbound) {
  async function inConversation<T>(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<T>): Promise<T> {
    if (inbound === 'off') throw new DeliveryError('teams: Teams is not configured (MICROSOFT_APP_ID is not set)', false);
    if (inbound === 'development' && !isLoopbackUrl(reference.serviceUrl)) throw new DeliveryError('teams: the stored serviceUrl is not a loopback address (ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS)', false);
    let result: { value: T } | undefined;
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      result = { value: await logic(context) };
    });
    return result!.value;
  }
  return {
    async post(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string> {
      const sent = await inConversation(reference, (context) => context.sendActivity(activity));
      if (!sent?.id) throw new DeliveryError('teams post: the connector answered without an activity id', true);
      return sent.id;
    },
    async update(reference: Partial<ConversationReference>, activityId: string, activity: Partial<Activity>): Promise<void> {
      await inConversation(reference, (context) => context.updateActivity({ ...activity, type: 'message', id: activityId }));
    },
  };
}

export type ConnectorWriter = ReturnType<typeof createConnectorWriter>;
