import { z } from 'zod';
import { cleanPlatformText } from '../../core/platform-text.js';
import { toE164 } from '../../core/phone-number.js';
import type { ConversationDeps } from '../../services/conversations.js';
import { createDeliveryClaims } from '../../services/inbound-deliveries.js';
import type { PlainRequest, PlainResponse, PlainRoute } from '../module.js';
import { answerText, answerTextToNoClinic } from './sms-conversation.js';
import { findClinicForText, type SharedSender } from './text-clinic.js';
import { isValidTwilioSignature } from './twilio-signature.js';

export const INBOUND_PATH = '/sms/twilio';
export const STATUS_PATH = '/sms/twilio/status';

const inboundSchema = z.object({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-f]{32}$/),
  AccountSid: z.string().min(1).max(64),
  From: z.string().min(1).max(40),
  To: z.string().max(40).optional(),
  MessagingServiceSid: z.string().max(64).optional(),
  Body: z.string().max(1600).default(''),
});

const statusSchema = z.object({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-f]{32}$/),
  AccountSid: z.string().min(1).max(64),
  MessageStatus: z.enum(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled', 'receiving', 'received']),
  ErrorCode: z.string().max(10).optional(),
});

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const twiml = (text: string | null): PlainResponse => ({
  status: 200,
  headers: { 'content-type': 'text/xml' },
  body: text ? `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(text)}</Message></Response>` : EMPTY_TWIML,
});

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface TwilioRouteDeps extends ConversationDeps {
  publicUrl: string;
  accountSid: string;
  authToken: string;
  /** The deployment's sender, which clinics without numbers of their own share (text-clinic.ts). */
  sharedSender: SharedSender;
}

/** The signed form, or the 403 that refuses it before anything is read or stored. */
function verified(deps: TwilioRouteDeps, path: string, request: PlainRequest): URLSearchParams | PlainResponse {
  const params = new URLSearchParams(request.rawBody.toString('utf8'));
  const signature = request.headers['x-twilio-signature'];
  if (!isValidTwilioSignature(deps.authToken, deps.publicUrl + path, params, typeof signature === 'string' ? signature : undefined) || params.get('AccountSid') !== deps.accountSid) {
    request.log.warn({ path }, 'twilio request refused: bad signature');
    return { status: 403, body: { error: 'invalid signature' } };
  }
  return params;
}

/**
 * Twilio's webhooks: an incoming text (answered in TwiML once its effects are stored, claimed by
 * MessageSid so a retried webhook is answered once) and delivery status callbacks (recorded on the
 * outbox row). Logs carry ids, never numbers or words.
 */
export function twilioRoutes(deps: TwilioRouteDeps): PlainRoute[] {
  const claim = createDeliveryClaims(deps.prisma, 'sms');
  const inbound = async (request: PlainRequest): Promise<PlainResponse> => {
    const params = verified(deps, INBOUND_PATH, request);
    if (!(params instanceof URLSearchParams)) return params;
    const parsed = inboundSchema.safeParse(Object.fromEntries(params));
    const from = parsed.success ? toE164(parsed.data.From) : null;
    if (!parsed.success || !from) return { status: 400, body: { error: 'not an SMS webhook Rollcall can read' } };
    const { MessageSid: messageSid } = parsed.data;
    const claimed = await claim(messageSid, deps.clock.now());
    if (!claimed.claimed) {
      request.log.info({ messageSid, reason: claimed.reason }, 'sms already answered');
      return twiml(null);
    }
    try {
      const to = parsed.data.To ? toE164(parsed.data.To) : null;
      const { organizationId, sameSender } = await findClinicForText(deps.prisma, deps.sharedSender, { to, messagingServiceSid: parsed.data.MessagingServiceSid ?? null, from });
      const input = { from, text: cleanPlatformText(parsed.data.Body, 1600), messageSid };
      const text = organizationId ? await answerText(deps, { ...input, organizationId, sameSender }) : await answerTextToNoClinic(deps, { ...input, log: request.log });
      await claimed.complete();
      request.log.info({ messageSid, organizationId, answered: text !== null }, 'sms answered');
      return twiml(text);
    } catch (error) {
      await claimed.release().catch(() => undefined);
      throw error;
    }
  };

  const status = async (request: PlainRequest): Promise<PlainResponse> => {
    const params = verified(deps, STATUS_PATH, request);
    if (!(params instanceof URLSearchParams)) return params;
    const parsed = statusSchema.safeParse(Object.fromEntries(params));
    if (!parsed.success) return { status: 400, body: { error: 'not a status callback Rollcall can read' } };
    const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
    const failed = MessageStatus === 'undelivered' || MessageStatus === 'failed';
    await deps.prisma.participantOutboxMessage.updateMany({
      where: { platform: 'sms', externalMessageId: MessageSid },
      data: { deliveryStatus: MessageStatus, ...(failed ? { state: 'failed', lastError: `carrier rejected${ErrorCode ? ` (error ${ErrorCode})` : ''}` } : {}) },
    });
    request.log.info({ messageSid: MessageSid, status: MessageStatus }, 'sms status');
    return { status: 204 };
  };

  return [
    { method: 'POST', path: INBOUND_PATH, handler: inbound, bodyLimit: '64kb' },
    { method: 'POST', path: STATUS_PATH, handler: status, bodyLimit: '16kb' },
  ];
}
