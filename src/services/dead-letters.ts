import { createHmac, randomUUID } from 'node:crypto';
import type { Platform } from '../core/presence-event.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Db } from '../db/database.js';
import { writeAudit } from './audit.js';

/** Long enough for staff to notice and ask; the body holds what presence facts hold, no longer needed after. */
export const DEAD_LETTER_RETENTION_MS = 30 * 86_400_000;
const REASON_MAX_LENGTH = 1000;

export interface DeadLetterInput {
  platform: Platform;
  organizationId: string;
  /** The event name, when the body had a readable one. */
  event?: string | null;
  /** Field paths and schema messages; never values from the body. */
  reason: string;
  rawBody: Buffer;
  /** Zoom: the account's keyed hash, when the body named an account. */
  accountKey?: string | null;
  receivedAt: Date;
}

export interface DeadLetterSummary {
  id: string;
  platform: Platform;
  event: string | null;
  reason: string;
  bodyBytes: number;
  receivedAt: Date;
}

const SUMMARY = { id: true, platform: true, event: true, reason: true, bodyBytes: true, receivedAt: true } as const;

export const deadLetterAad = (id: string) => `dead-letter:${id}`;

/**
 * Signed deliveries that could not be used. Storing one is what lets the route answer 2xx (so the
 * platform stops retrying something that will never parse) without losing it: staff see it on the
 * dashboard and in the admin API. The body is sealed; a retry of the same bytes is stored once;
 * rows past DEAD_LETTER_RETENTION_MS are deleted as new ones come in.
 */
export function createDeadLetters(deps: { prisma: Db; box: SecretBox; encryptionKey: Buffer }) {
  const { prisma, box } = deps;
  const digestOf = (rawBody: Buffer) => createHmac('sha256', deps.encryptionKey).update('dead-letter:').update(rawBody).digest('base64url');

  return {
    /** Resolves once the dead letter is stored (or was already); a storage failure throws, so the route answers 5xx. */
    async store(input: DeadLetterInput): Promise<{ id: string; stored: boolean }> {
      const id = randomUUID();
      const bodyDigest = digestOf(input.rawBody);
      const { count } = await prisma.deadLetter.createMany({
        data: [
          {
            id,
            organizationId: input.organizationId,
            platform: input.platform,
            event: input.event ? input.event.slice(0, 200) : null,
            reason: input.reason.slice(0, REASON_MAX_LENGTH),
            sealedBody: box.seal(input.rawBody.toString('base64'), deadLetterAad(id)),
            bodyBytes: input.rawBody.length,
            bodyDigest,
            accountKey: input.accountKey ?? null,
            receivedAt: input.receivedAt,
          },
        ],
        skipDuplicates: true,
      });
      await prisma.deadLetter.deleteMany({ where: { receivedAt: { lt: new Date(input.receivedAt.getTime() - DEAD_LETTER_RETENTION_MS) } } });
      if (count === 1) return { id, stored: true };
      const existing = await prisma.deadLetter.findUnique({ where: { platform_bodyDigest: { platform: input.platform, bodyDigest } }, select: { id: true } });
      return { id: existing?.id ?? id, stored: false };
    },
  };
}

export type DeadLetters = ReturnType<typeof createDeadLetters>;

/** An organization's dead letters within the retention period, newest first; never their bodies. */
export async function listDeadLetters(deps: { prisma: Db }, organizationId: string, options: { now: Date; limit?: number; since?: Date }): Promise<DeadLetterSummary[]> {
  const oldest = new Date(options.now.getTime() - DEAD_LETTER_RETENTION_MS);
  const since = options.since && options.since > oldest ? options.since : oldest;
  return deps.prisma.deadLetter.findMany({
    where: { organizationId, receivedAt: { gte: since } },
    orderBy: { receivedAt: 'desc' },
    take: options.limit ?? 50,
    select: SUMMARY,
  });
}

/** One dead letter of the organization, without its body; null for anyone else's. */
export async function findDeadLetter(deps: { prisma: Db }, organizationId: string, id: string): Promise<DeadLetterSummary | null> {
  return deps.prisma.deadLetter.findFirst({ where: { id, organizationId }, select: SUMMARY });
}

/**
 * One dead letter's body as received (UTF-8 text), for an admin who asked for it, the read audited
 * (the body may hold names); null when not this organization's.
 */
export async function readDeadLetterBody(deps: { prisma: Db; box: SecretBox }, input: { organizationId: string; actor: string; id: string }): Promise<string | null> {
  const { organizationId, actor, id } = input;
  const row = await deps.prisma.deadLetter.findFirst({ where: { id, organizationId }, select: { sealedBody: true } });
  if (!row) return null;
  const body = Buffer.from(deps.box.open(row.sealedBody, deadLetterAad(id)), 'base64').toString('utf8');
  await writeAudit(deps.prisma, { organizationId, actor, action: 'dead_letter.read_body', entityType: 'DeadLetter', entityId: id });
  return body;
}
