import type { PlatformModule } from '../module.js';
import { createSmsMessenger } from './sms-messenger.js';
import { STATUS_PATH, twilioRoutes } from './twilio-routes.js';

/** SMS through Twilio Programmable Messaging: a participant channel only (docs/sms.md); staff alerts stay in chat. */
export const smsModule: PlatformModule = {
  name: 'sms',
  async attach(host) {
    const { accountSid, authToken, messagingServiceSid, fromNumber, apiUrl } = host.config.twilio;
    if (!accountSid || !authToken) throw new Error('the sms module needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
    const deps = { prisma: host.prisma, clock: host.clock, evaluator: host.evaluator, enqueueDeliveries: (ids: string[]) => host.enqueueDeliveries(ids) };
    return {
      routes: twilioRoutes({ ...deps, publicUrl: host.config.publicUrl, accountSid, authToken, sharedSender: { fromNumber, messagingServiceSid } }),
      messenger: createSmsMessenger({ prisma: host.prisma, clock: host.clock, twilio: { accountSid, authToken, messagingServiceSid, fromNumber, apiUrl, statusCallbackUrl: host.config.publicUrl + STATUS_PATH } }),
    };
  },
};
