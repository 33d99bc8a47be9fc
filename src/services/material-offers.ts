import type { Logger } from 'pino';
import type { Platform } from '../core/presence-event.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Db } from '../db/database.js';
import { writeAudit } from './audit.js';
import { sessionLabel } from './labels.js';
import { materialPasscodeAad } from './materials.js';
import { findParticipantChatTarget, type MessengerFor } from './participant-messenger.js';

/** Absent participants are offered a recording; being offered (or watching) never counts as attendance. */
const ABSENT = ['no_show', 'excused'];

export interface MaterialOfferDeps {
  prisma: Db;
  box: SecretBox;
  log: Logger;
  messengerFor: MessengerFor;
}

/**
 * Offers a session's recording to its absent participants (No-show, Excused), each once, on the
 * platform they can be reached on (`preferred` first): the offer row is written before the
 * message, so a retry offers no one twice. The passcode is in that participant's own chat message
 * only, never in a text message (a lock screen shows it): a text says who can give it.
 * Nothing until the session's record is final (the close-out offers it then).
 */
export async function offerRecordingToAbsentees(deps: MaterialOfferDeps, materialId: string, options: { preferred?: Platform } = {}): Promise<{ offered: number }> {
  const { prisma, box, log } = deps;
  const material = await prisma.material.findUnique({ where: { id: materialId }, include: { session: { include: { program: true } } } });
  if (!material?.session) return { offered: 0 };
  const { session, organizationId } = material;
  if (!session.finalizedAt) return { offered: 0 };
  const rows = await prisma.attendance.findMany({ where: { organizationId, sessionId: session.id } });
  const absent = rows.filter((r) => ABSENT.includes(r.overrideStatus ?? r.status)).map((r) => r.participantId);
  const passcode = material.encryptedPasscode && material.externalKey ? box.open(material.encryptedPasscode, materialPasscodeAad(material.externalKey)) : null;
  const label = sessionLabel(session.program.name, session.startsAt, session.program.timezone);
  const textFor = (platform: Platform) => offerText({ label, url: material.url, passcode, byText: platform === 'sms' });
  let offered = 0;
  for (const participantId of absent) {
    const target = await findParticipantChatTarget(prisma, deps.messengerFor, { organizationId, participantId, preferred: options.preferred });
    if (!target) continue;
    const claim = await prisma.materialOffer.createMany({ data: [{ organizationId, materialId, participantId, platform: target.platform }], skipDuplicates: true });
    if (claim.count === 0) continue;
    let state = 'sent';
    try {
      await deps.messengerFor(target.platform)!.send(target, { text: textFor(target.platform), choices: [] });
      offered += 1;
    } catch (error) {
      state = 'failed';
      log.warn({ materialId, participantId, err: (error as Error).message }, 'recording offer not delivered');
    }
    await prisma.materialOffer.update({ where: { materialId_participantId: { materialId, participantId } }, data: { state } });
    await writeAudit(prisma, { organizationId, actor: 'system', action: 'material.offer', entityType: 'Material', entityId: materialId, data: { participantId, platform: target.platform, state } });
  }
  log.info({ materialId, sessionId: session.id, offered }, 'recording offered');
  return { offered };
}

/**
 * The offer's words. By text (SMS) the passcode stays out, also where a share link carries it
 * (Zoom's `?pwd=`): the participant is told to ask their care team for it.
 */
export function offerText(input: { label: string; url: string; passcode: string | null; byText: boolean }): string {
  const url = input.byText ? withoutPasscode(input.url) : input.url;
  const needsPasscode = input.passcode !== null || url !== input.url;
  const passcodeLine = !needsPasscode ? [] : input.byText ? ['It needs a passcode, which we do not send by text: ask your care team for it.'] : [`Passcode: ${input.passcode}`];
  return [`We missed you at ${input.label}. The session's recording is available for you:`, url, ...passcodeLine, 'Watching it does not count as attending, but it can help you catch up.'].join('\n');
}

function withoutPasscode(link: string): string {
  try {
    const url = new URL(link);
    if (!url.searchParams.has('pwd')) return link;
    url.searchParams.delete('pwd');
    return url.toString();
  } catch {
    return link;
  }
}
