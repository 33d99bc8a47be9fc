import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { MessengerFor } from '../../services/participant-messenger.js';
import { deliverParticipantMessage } from '../../services/participant-outbox.js';
import type { Boss } from '../boss.js';
import { sendJob } from '../send-job.js';
import { workQueue } from '../work-queue.js';

/** Sends a participant outbox message; a chat API's Retry-After becomes a later job, an error a retry. */
export async function workParticipantDeliveries(deps: { boss: Boss; prisma: Db; clock: Clock; log: Logger; messengerFor: MessengerFor }): Promise<void> {
  const { boss } = deps;
  await workQueue(boss, deps.log, 'participantDelivery', async (job) => {
    const { id } = job.data;
    const result = await deliverParticipantMessage(deps, id);
    if (result.outcome === 'later') await sendJob(boss, 'participantDelivery', { id }, { singletonKey: id, startAfter: result.afterSeconds });
    else if (result.outcome === 'retry') throw new Error(`participant message will be retried: ${result.error}`);
  });
}
