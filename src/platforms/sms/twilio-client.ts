import { DeliveryError } from '../../services/notifier.js';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  messagingServiceSid?: string;
  fromNumber?: string;
  /** Twilio's API host (TWILIO_API_URL); a local fake in tests. */
  apiUrl: string;
  /** Where Twilio reports delivery (PUBLIC_URL + /sms/twilio/status). */
  statusCallbackUrl: string;
}

/** Twilio error codes that mean the number will not take texts from us: not worth a retry. */
const UNREACHABLE: Record<number, string> = { 21610: 'recipient unsubscribed (STOP)', 21211: 'invalid phone number', 21614: 'not a mobile number' };

/** Sends one text through the Messages API (plain fetch, basic auth); throws DeliveryError. */
export async function sendTwilioMessage(settings: TwilioSettings, to: string, body: string): Promise<{ sid: string }> {
  const form = new URLSearchParams({ To: to, Body: body, StatusCallback: settings.statusCallbackUrl });
  if (settings.messagingServiceSid) form.set('MessagingServiceSid', settings.messagingServiceSid);
  else if (settings.fromNumber) form.set('From', settings.fromNumber);
  const url = `${settings.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new DeliveryError(`twilio unreachable: ${(error as Error).name}`, true);
  }
  const answer = (await response.json().catch(() => ({}))) as { sid?: string; code?: number };
  if (response.ok && answer.sid) return { sid: answer.sid };
  if (response.status === 429) {
    const after = Number(response.headers.get('retry-after'));
    throw new DeliveryError('twilio rate limit (429)', true, Number.isFinite(after) && after > 0 ? Math.min(after, 3600) : 1);
  }
  if (response.status >= 500) throw new DeliveryError(`twilio error (${response.status})`, true);
  const code = typeof answer.code === 'number' ? answer.code : undefined;
  throw new DeliveryError(code && UNREACHABLE[code] ? UNREACHABLE[code] : `twilio refused the message (${response.status}${code ? `, error ${code}` : ''})`, false);
}
