import type { Logger } from 'pino';
import { z } from 'zod';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Db } from '../../db/database.js';
import { resolvePolicy } from '../../core/policy.js';
import { writeAudit } from '../../services/audit.js';
import { sessionLabel } from '../../services/labels.js';
import { participantChatTarget, type MessengerFor } from '../../services/participant-messenger.js';
import { SESSION_MATCH_MARGIN_MS } from '../../services/ingest.js';
import type { ZoomPayloadIssue } from './normalize.js';

export const recordingCompletedSchema = z.object({
  event: z.literal('recording.completed'),
  payload: z.looseObject({
    account_id: z.string().min(1),
    object: z.looseObject({
      uuid: z.string().min(1),
      id: z.union([z.string(), z.number()]).transform(String),
      start_time: z.iso.datetime({ offset: true }).optional(),
      share_url: z.url(),
      password: z.string().optional(),
      recording_play_passcode: z.string().optional(),
    }),
  }),
});

/** Absent participants are offered a recording; being offered (or watching) never counts as attendance. */
const ABSENT = ['no_show', 'excused'];

export const materialPasscodeAad = (externalKey: string) => `material:${externalKey}`;

export interface RecordingDeps {
  prisma: Db;
  box: SecretBox;
  log: Logger;
  messengerFor: MessengerFor;
  /** The organization whose sessions this Zoom account's meetings may match; null for any (no installation). */
  organizationOf(accountId: string): Promise<string | null>;
}

/**
 * A cloud recording finished. Stored only when the session's program allows sharing recordings
 * (`recordingsShareable`, off by default: group therapy is not recorded), as a material of the
 * program; its passcode is sealed. Returns the material to offer, null when there is none, or why
 * the payload is unusable.
 */
export async function storeZoomRecording(deps: RecordingDeps, body: unknown): Promise<{ materialId: string } | { invalid: ZoomPayloadIssue[] } | null> {
  const parsed = recordingCompletedSchema.safeParse(body);
  if (!parsed.success) return { invalid: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })) };
  const { account_id: accountId, object } = parsed.data.payload;
  const { prisma, box, log } = deps;
  const organizationId = await deps.organizationOf(accountId);
  const at = object.start_time ? new Date(object.start_time).getTime() : Date.now();
  const sessions = await prisma.session.findMany({
    where: {
      ...(organizationId ? { organizationId } : {}),
      meetingPlatform: 'zoom',
      OR: [
        { meetingInstanceId: object.uuid },
        { meetingId: object.id, startsAt: { lte: new Date(at + SESSION_MATCH_MARGIN_MS) }, endsAt: { gte: new Date(at - SESSION_MATCH_MARGIN_MS) } },
      ],
    },
    include: { program: true },
  });
  const session = sessions.find((s) => s.meetingInstanceId === object.uuid) ?? sessions[0];
  if (!session) {
    log.info({ meetingId: object.id }, 'zoom recording for no known session');
    return null;
  }
  if (!resolvePolicy(session.program.policy).recordingsShareable) {
    log.info({ sessionId: session.id }, 'zoom recording not stored: the program does not share recordings');
    return null;
  }
  const externalKey = `zoom-recording:${object.uuid}`;
  const passcode = object.password || object.recording_play_passcode;
  const existing = await prisma.material.findUnique({ where: { externalKey } });
  if (existing) return { materialId: existing.id };
  const material = await prisma.$transaction(async (tx) => {
    const created = await tx.material.create({
      data: {
        organizationId: session.organizationId,
        programId: session.programId,
        sessionId: session.id,
        kind: 'recording',
        title: `Recording: ${sessionLabel(session.program.name, session.startsAt, session.program.timezone)}`,
        url: object.share_url,
        encryptedPasscode: passcode ? box.seal(passcode, materialPasscodeAad(externalKey)) : null,
        externalKey,
        createdBy: 'zoom:recording.completed',
      },
    });
    await writeAudit(tx, { organizationId: session.organizationId, actor: 'zoom:recording.completed', action: 'material.recording_stored', entityType: 'Material', entityId: created.id, data: { sessionId: session.id } });
    return created;
  });
  log.info({ sessionId: session.id, materialId: material.id }, 'zoom recording stored');
  return { materialId: material.id };
}

/**
 * Offers a stored recording to the session's absent participants (No-show, Excused), each once: the
 * offer row is written before the message, so a retried webhook offers no one twice. The passcode
 * is in that participant's own message only.
 */
export async function offerRecording(deps: RecordingDeps, materialId: string): Promise<{ offered: number }> {
  const { prisma, box, log } = deps;
  const material = await prisma.material.findUnique({ where: { id: materialId }, include: { session: { include: { program: true } } } });
  if (!material?.session) return { offered: 0 };
  const { session } = material;
  // Who was absent is known once the record is final; the close-out step offers it then.
  if (!session.finalizedAt) return { offered: 0 };
  const rows = await prisma.attendance.findMany({ where: { organizationId: material.organizationId, sessionId: session.id } });
  const absent = rows.filter((r) => ABSENT.includes(r.overrideStatus ?? r.status)).map((r) => r.participantId);
  const passcode = material.encryptedPasscode && material.externalKey ? box.open(material.encryptedPasscode, materialPasscodeAad(material.externalKey)) : null;
  let offered = 0;
  for (const participantId of absent) {
    const target = await participantChatTarget(prisma, deps.messengerFor, { organizationId: material.organizationId, participantId, preferred: 'zoom' });
    if (!target) continue;
    const claim = await prisma.materialOffer.createMany({ data: [{ organizationId: material.organizationId, materialId, participantId, platform: target.platform }], skipDuplicates: true });
    if (claim.count === 0) continue;
    const label = sessionLabel(session.program.name, session.startsAt, session.program.timezone);
    const text = [`We missed you at ${label}. The session's recording is available for you:`, material.url, ...(passcode ? [`Passcode: ${passcode}`] : []), 'Watching it does not count as attending, but it can help you catch up.'].join('\n');
    let state = 'sent';
    try {
      await deps.messengerFor(target.platform)!.send(target, { text, choices: [] });
      offered += 1;
    } catch (error) {
      state = 'failed';
      log.warn({ materialId, participantId, err: (error as Error).message }, 'recording offer not delivered');
    }
    await prisma.materialOffer.update({ where: { materialId_participantId: { materialId, participantId } }, data: { state } });
    await writeAudit(prisma, { organizationId: material.organizationId, actor: 'system', action: 'material.offer', entityType: 'Material', entityId: materialId, data: { participantId, platform: target.platform, state } });
  }
  log.info({ materialId, sessionId: session.id, offered }, 'recording offered');
  return { offered };
}

/** Close-out: a recording that arrived before the session's record was final is offered now. */
export function recordingOffersStep(deps: RecordingDeps) {
  return {
    name: 'zoom_recording_offers',
    async run(sessionId: string) {
      const materials = await deps.prisma.material.findMany({ where: { sessionId, kind: 'recording', externalKey: { startsWith: 'zoom-recording:' } }, select: { id: true } });
      for (const material of materials) await offerRecording(deps, material.id);
    },
  };
}
