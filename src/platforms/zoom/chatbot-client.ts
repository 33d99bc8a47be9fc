import type { Logger } from 'pino';
import { z } from 'zod';
import type { ZoomChatContent } from './chat-content.js';
import { basicAuth, ZoomHttpError, zoomRequest } from './zoom-http.js';

export interface ChatbotSettings {
  oauthUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** ZOOM_BOT_JID. */
  botJid: string;
}

/** Renew the chatbot token this long before it expires. */
const TOKEN_MARGIN_MS = 2 * 60_000;

export interface ChatbotSend {
  accountId: string;
  toJid: string;
  content: ZoomChatContent;
  /** Shown only to this user (Zoom user id) in a channel. */
  visibleToUser?: string;
  /** For chatbots installed per user, the user the message is on behalf of. */
  userJid?: string;
}

/**
 * The chatbot's side of Zoom Team Chat: a client-credentials token (cached in this process until
 * shortly before it expires; any instance may hold its own, they do not rotate) and the
 * `/im/chat/messages` calls. Errors are ZoomHttpError; callers map them.
 */
export function createChatbotClient(settings: ChatbotSettings, deps: { log: Logger; now?: () => number }) {
  const now = deps.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const answer = z
      .object({ access_token: z.string().min(1), expires_in: z.number().int().positive() })
      .parse(
        await zoomRequest(`${settings.oauthUrl}/oauth/token`, {
          method: 'POST',
          authorization: basicAuth(settings.clientId, settings.clientSecret),
          form: { grant_type: 'client_credentials' },
        }),
      );
    cached = { token: answer.access_token, expiresAt: now() + answer.expires_in * 1000 };
    deps.log.debug('zoom chatbot token obtained');
    return answer.access_token;
  }

  async function token(): Promise<string> {
    if (cached && cached.expiresAt - now() > TOKEN_MARGIN_MS) return cached.token;
    // Concurrent sends share one token request.
    pending ??= fetchToken().finally(() => (pending = null));
    return pending;
  }

  const bodyOf = (send: ChatbotSend) => ({
    robot_jid: settings.botJid,
    to_jid: send.toJid,
    account_id: send.accountId,
    content: send.content,
    ...(send.visibleToUser ? { visible_to_user: send.visibleToUser } : {}),
    ...(send.userJid ? { user_jid: send.userJid } : {}),
  });

  /** A token Zoom no longer accepts (revoked, rotated secret) is dropped and the call made once more with a new one. */
  async function withToken<T>(call: (authorization: string) => Promise<T>): Promise<T> {
    try {
      return await call(`Bearer ${await token()}`);
    } catch (error) {
      if (!(error instanceof ZoomHttpError && error.status === 401)) throw error;
      cached = null;
      return call(`Bearer ${await token()}`);
    }
  }

  return {
    botJid: settings.botJid,
    async send(send: ChatbotSend): Promise<{ messageId: string }> {
      const answer = await withToken((authorization) => zoomRequest<{ message_id?: string }>(`${settings.apiUrl}/im/chat/messages`, { method: 'POST', authorization, json: bodyOf(send) }));
      if (!answer?.message_id) throw new Error('zoom chatbot answer without message_id');
      return { messageId: answer.message_id };
    },
    async edit(messageId: string, send: ChatbotSend): Promise<void> {
      await withToken((authorization) => zoomRequest(`${settings.apiUrl}/im/chat/messages/${encodeURIComponent(messageId)}`, { method: 'PUT', authorization, json: bodyOf(send) }));
    },
    /** Forgets the cached token (deauthorization). */
    reset() {
      cached = null;
    },
  };
}

export type ChatbotClient = ReturnType<typeof createChatbotClient>;

/** A Zoom user's chat JID: Zoom forms it from the user id, lower-cased, at xmpp.zoom.us. */
export function userJidOf(userIdOrJid: string): string {
  return userIdOrJid.includes('@') ? userIdOrJid : `${userIdOrJid.toLowerCase()}@xmpp.zoom.us`;
}
