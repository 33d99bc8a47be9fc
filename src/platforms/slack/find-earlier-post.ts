import type { WebClient } from '@slack/web-api';
import { ALERT_EVENT_TYPE } from './blocks.js';

/**
 * The ts of an earlier post of this alert in the channel's recent history (newer than `oldest`,
 * a Slack ts), found by the alert id every message carries in its metadata; null when none.
 */
export async function findEarlierPost(client: WebClient, query: { token: string; channelId: string; alertId: string; oldest: string }): Promise<string | null> {
  // Newest first; one page is enough: the earlier attempt was minutes ago, in a staff channel.
  const result = await client.conversations.history({ token: query.token, channel: query.channelId, limit: 100, include_all_metadata: true, oldest: query.oldest });
  const match = result.messages?.find((m) => {
    const payload = m.metadata?.event_payload as { alertId?: unknown } | undefined;
    return m.metadata?.event_type === ALERT_EVENT_TYPE && payload?.alertId === query.alertId;
  });
  return match?.ts ?? null;
}
