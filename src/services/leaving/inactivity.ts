import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { writeAudit } from '../audit.js';
import { deleteClinic, isFirstOrganization } from './clinic-deletion.js';

const DAY_MS = 86_400_000;
/** Warnings given this many days before deletion (the dashboard banner shows from the first). */
export const WARNING_DAYS = [7, 1] as const;

/**
 * The platforms installed for the clinic now: Slack or Zoom while an installation still holds tokens
 * (uninstalling removes them or the row), Teams while the bot is still in one of the clinic's
 * conversations (removing the Teams app deletes them; its Installation row stays).
 */
export async function installedPlatforms(prisma: Db, organizationId: string): Promise<('slack' | 'teams' | 'zoom')[]> {
  const rows = await prisma.installation.findMany({ where: { organizationId, platform: { in: ['slack', 'zoom'] }, encryptedTokens: { not: null } }, select: { platform: true } });
  const teams = (await prisma.chatConversation.count({ where: { organizationId, platform: 'teams' } })) > 0;
  const found = new Set(rows.map((r) => r.platform));
  if (teams) found.add('teams');
  return (['slack', 'teams', 'zoom'] as const).filter((p) => found.has(p));
}

export async function hasPlatformInstalled(prisma: Db, organizationId: string): Promise<boolean> {
  return (await installedPlatforms(prisma, organizationId)).length > 0;
}

export interface RetentionStatus {
  /** When the clinic's data will be deleted; null while a platform is installed (or never, for the first organization). */
  deletesAt: Date | null;
  daysLeft: number | null;
}

/** What the dashboard banner says: read from what the daily job recorded. */
export async function readRetentionStatus(prisma: Db, organizationId: string, retentionDays: number, now: Date): Promise<RetentionStatus> {
  const org = await prisma.organization.findUnique({ where: { id: organizationId }, select: { platformsGoneAt: true } });
  return retentionStatus(org?.platformsGoneAt ?? null, retentionDays, now);
}

/** When a clinic with no platform since `platformsGoneAt` is deleted, and how many days are left. */
export function retentionStatus(platformsGoneAt: Date | null, retentionDays: number, now: Date): RetentionStatus {
  if (!platformsGoneAt) return { deletesAt: null, daysLeft: null };
  const deletesAt = new Date(platformsGoneAt.getTime() + retentionDays * DAY_MS);
  return { deletesAt, daysLeft: Math.max(0, Math.ceil((deletesAt.getTime() - now.getTime()) / DAY_MS)) };
}

export interface RetentionRun {
  /** Clinics seen without any platform for the first time. */
  started: string[];
  /** Clinics with a platform again: their countdown was cancelled. */
  cancelled: string[];
  warned: { organizationId: string; days: number }[];
  deleted: string[];
}

/**
 * The daily retention pass (time is an argument): records when a clinic lost its last platform,
 * warns 7 days and 1 day before deletion (audited; the dashboard shows a banner), deletes it when
 * ORGANIZATION_RETENTION_DAYS have passed, and cancels all of that when a platform is back.
 * The deployment's first organization is never deleted (clinic-deletion.ts).
 */
export async function runRetention(deps: { prisma: Db; log: Logger; retentionDays: number }, now: Date): Promise<RetentionRun> {
  const { prisma, log, retentionDays } = deps;
  const run: RetentionRun = { started: [], cancelled: [], warned: [], deleted: [] };
  const organizations = await prisma.organization.findMany({ select: { id: true, platformsGoneAt: true, deletionWarnedDays: true }, orderBy: { createdAt: 'asc' } });
  for (const org of organizations) {
    if (await isFirstOrganization(prisma, org.id)) continue;
    if (await hasPlatformInstalled(prisma, org.id)) {
      if (org.platformsGoneAt) {
        await prisma.$transaction(async (tx) => {
          await tx.organization.update({ where: { id: org.id }, data: { platformsGoneAt: null, deletionWarnedDays: null } });
          await writeAudit(tx, { organizationId: org.id, actor: 'system', action: 'organization.deletion_cancelled', entityType: 'Organization', entityId: org.id });
        });
        run.cancelled.push(org.id);
      }
      continue;
    }
    if (!org.platformsGoneAt) {
      await prisma.$transaction(async (tx) => {
        await tx.organization.update({ where: { id: org.id }, data: { platformsGoneAt: now, deletionWarnedDays: null } });
        await writeAudit(tx, { organizationId: org.id, actor: 'system', action: 'organization.deletion_scheduled', entityType: 'Organization', entityId: org.id, data: { deletesAt: new Date(now.getTime() + retentionDays * DAY_MS).toISOString() } });
      });
      run.started.push(org.id);
      continue;
    }
    const deletesAt = org.platformsGoneAt.getTime() + retentionDays * DAY_MS;
    if (now.getTime() >= deletesAt) {
      // Checked again inside: a platform installed since the pass began keeps the clinic.
      if (await hasPlatformInstalled(prisma, org.id)) continue;
      await deleteClinic(prisma, org.id);
      log.info({ organizationId: org.id }, 'clinic deleted after its retention period without a platform');
      run.deleted.push(org.id);
      continue;
    }
    const daysLeft = Math.ceil((deletesAt - now.getTime()) / DAY_MS);
    const due = WARNING_DAYS.filter((d) => daysLeft <= d && (org.deletionWarnedDays === null || d < org.deletionWarnedDays));
    const days = due.length > 0 ? Math.min(...due) : null;
    if (days !== null) {
      await prisma.$transaction(async (tx) => {
        await tx.organization.update({ where: { id: org.id }, data: { deletionWarnedDays: days } });
        await writeAudit(tx, { organizationId: org.id, actor: 'system', action: 'organization.deletion_warned', entityType: 'Organization', entityId: org.id, data: { days, deletesAt: new Date(deletesAt).toISOString() } });
      });
      run.warned.push({ organizationId: org.id, days });
    }
  }
  if (run.deleted.length + run.warned.length + run.started.length + run.cancelled.length > 0) log.info({ ...run }, 'retention pass');
  return run;
}
