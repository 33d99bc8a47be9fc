import type { Logger } from 'pino';
import { z } from 'zod';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Db } from '../../db/database.js';
import { resolvePolicy } from '../../core/policy.js';
import { offerRecordingToAbsentees } from '../../services/material-offers.js';
import { listSessionRecordingIds, storeRecordingMaterial } from '../../services/materials.js';
import type { MessengerFor } from '../../services/participant-messenger.js';
import { findRecordedSession } from '../../services/queries/session-queries.js';
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

const EXTERNAL_KEY_PREFIX = 'zoom-recording:';

export interface RecordingDeps {
  prisma: Db;
  box: SecretBox;
  log: Logger;
  messengerFor: MessengerFor;
  /** The only organization whose sessions this Zoom account's meetings may match (the first one for an account that never installed). */
  organizationFor(accountId: string): Promise<string>;
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
  const { log } = deps;
  const organizationId = await deps.organizationFor(accountId);
  const at = object.start_time ? new Date(object.start_time) : new Date();
  const session = await findRecordedSession(deps, { organizationId, platform: 'zoom', meetingInstanceId: object.uuid, meetingId: object.id, at });
  if (!session) {
    log.info({ meetingId: object.id }, 'zoom recording for no known session');
    return null;
  }
  if (!resolvePolicy(session.program.policy).recordingsShareable) {
    log.info({ sessionId: session.id }, 'zoom recording not stored: the program does not share recordings');
    return null;
  }
  const stored = await storeRecordingMaterial(deps, {
    session,
    externalKey: `${EXTERNAL_KEY_PREFIX}${object.uuid}`,
    url: object.share_url,
    passcode: object.password || object.recording_play_passcode,
    createdBy: 'zoom:recording.completed',
  });
  if (stored.created) log.info({ sessionId: session.id, materialId: stored.materialId }, 'zoom recording stored');
  return { materialId: stored.materialId };
}

/** Offers a stored recording to the session's absent participants, on Zoom chat first (services/material-offers.ts). */
export async function offerRecording(deps: RecordingDeps, materialId: string): Promise<{ offered: number }> {
  return offerRecordingToAbsentees(deps, materialId, { preferred: 'zoom' });
}

/** Close-out: a recording that arrived before the session's record was final is offered now. */
export function recordingOffersStep(deps: RecordingDeps) {
  return {
    name: 'zoom_recording_offers',
    async run(sessionId: string) {
      for (const materialId of await listSessionRecordingIds(deps, sessionId, EXTERNAL_KEY_PREFIX)) await offerRecording(deps, materialId);
    },
  };
}
