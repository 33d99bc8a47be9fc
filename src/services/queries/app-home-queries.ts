import type { Clock } from '../../clock.js';
import { resolveOrganizationSettings } from '../../core/organization-settings.js';
import type { Platform } from '../../core/presence-event.js';
import type { Db } from '../../db/database.js';
import { loadParticipantProgress, type ParticipantProgress } from '../participant-progress.js';
import { findParticipantByChatUser, isStaffUser } from '../participant-lookup.js';
import type { SessionEvaluator } from '../session-evaluator.js';
import { readTodayRoster, type RosterSession } from '../today-roster.js';

type HomeDeps = { prisma: Db; clock: Clock; evaluator: SessionEvaluator };

/**
 * Who opened a chat app's home tab, as far as it decides what they may see: staff of a program, a
 * possible participant (participant chat is on for the platform), or anyone else (told only how to
 * reach the clinic).
 */
export type HomeAudience = { kind: 'staff' } | { kind: 'participant' } | { kind: 'outsider'; clinicContact: string | undefined };

export async function readHomeAudience(deps: { prisma: Db }, organizationId: string, platform: Platform, userId: string): Promise<HomeAudience> {
  const organization = await deps.prisma.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { settings: true } });
  const settings = resolveOrganizationSettings(organization.settings);
  if (await isStaffUser(deps.prisma, organizationId, userId)) return { kind: 'staff' };
  return settings.participantChat[platform] ? { kind: 'participant' } : { kind: 'outsider', clinicContact: settings.clinicContact };
}

export interface StaffHome {
  /** Today's sessions of the channels of every program this person is staff of, with live attendance. */
  sessions: RosterSession[];
  /** Open follow-ups assigned to this chat user, oldest first, at most 20. */
  followUps: { kind: string; programName: string; createdAt: Date }[];
}

export async function readStaffHome(deps: HomeDeps, organizationId: string, platform: Platform, userId: string): Promise<StaffHome> {
  const programs = await deps.prisma.program.findMany({ where: { organizationId, staffUserIds: { has: userId } } });
  const sessions: RosterSession[] = [];
  for (const channelId of new Set(programs.map((p) => p.alertChannelId))) sessions.push(...(await readTodayRoster(deps, organizationId, channelId)));
  // Chat assigns as `<platform>:<user id>`, the dashboard as `staff:<id>` of the person's staff account.
  const column = ({ slack: 'slackUserId', teams: 'microsoftUserId', zoom: 'zoomUserId' } as const)[platform as 'slack' | 'teams' | 'zoom'];
  const accounts = column ? await deps.prisma.staffAccount.findMany({ where: { organizationId, [column]: userId, status: 'active' }, select: { id: true } }) : [];
  const followUps = await deps.prisma.followUp.findMany({
    where: { organizationId, state: 'open', assignee: { in: [`${platform}:${userId}`, ...accounts.map((a) => `staff:${a.id}`)] } },
    include: { program: { select: { name: true } } },
    orderBy: { createdAt: 'asc' },
    take: 20,
  });
  return { sessions, followUps: followUps.map((f) => ({ kind: f.kind, programName: f.program.name, createdAt: f.createdAt })) };
}

export interface ParticipantHome {
  /** The participant's own zone, when known; sessions are shown in it. */
  timezone: string | null;
  progress: ParticipantProgress;
}

/** A participant's own week and next sessions; null when this chat user is not linked to one. */
export async function readParticipantHome(deps: { prisma: Db; clock: Clock }, organizationId: string, platform: Platform, userId: string): Promise<ParticipantHome | null> {
  const participant = await findParticipantByChatUser(deps.prisma, organizationId, platform, userId);
  if (!participant) return null;
  return { timezone: participant.timezone, progress: await loadParticipantProgress(deps, organizationId, participant.id) };
}
