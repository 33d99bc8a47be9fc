import type { Clock } from '../../clock.js';
import { describeFollowUpReason } from '../../core/follow-up-words.js';
import { resolvePolicy } from '../../core/policy.js';
import type { Db } from '../../db/database.js';
import { actorNames } from '../actor-names.js';
import { listDeliveryProblems, type DeliveryProblem } from '../delivery-problems.js';
import { listOpenFollowUps, type OpenFollowUp } from '../follow-ups.js';
import { countStrikes } from '../strike-counts.js';

type PageDeps = { prisma: Db; clock: Clock };

export interface StaffOption {
  /** What the form posts and the FollowUp stores: `staff:<staffAccountId>`. */
  value: string;
  name: string;
}

export interface FollowUpRow extends OpenFollowUp {
  /** Why it is open, in words ("3 strikes in 30 days — formal review"). */
  reason: string;
  /** The participant's strikes in the program now. */
  strikes: number;
  strikeWindowDays: number;
  /** Who it is assigned to, in words; null when nobody. */
  assigneeName: string | null;
  /** The staff option the assignee is (chat's `slack:U…` of a staff account included); null when none. */
  assigneeOption: string | null;
  /** Each note's author in words. */
  noteAuthors: string[];
}

export interface FollowUpsPageView {
  followUps: FollowUpRow[];
  problems: DeliveryProblem[];
  /** The clinic's active staff accounts: who a follow-up can be assigned to. */
  staff: StaffOption[];
  /** The first program's zone: the queue spans programs, its dates need one. */
  timezone: string;
}

/** Staff accounts may be named by the platform id chat stores (`slack:U…`, from "I'll reach out") or by the dashboard's `staff:<id>`. */
const PLATFORM_COLUMN = { slack: 'slackUserId', teams: 'microsoftUserId', zoom: 'zoomUserId' } as const;

/**
 * Assignees in words: a staff account's name; a chat user who has no staff account as "someone in
 * Slack"; text the admin API stored (a name) as it is.
 */
export async function assigneeNames(prisma: Db, organizationId: string, assignees: string[]): Promise<{ names: Map<string, string>; options: Map<string, string> }> {
  const names = await actorNames(prisma, organizationId, assignees);
  const options = new Map(assignees.filter((a) => a.startsWith('staff:')).map((a) => [a, a]));
  const platformIds = assignees.flatMap((a) => {
    const [platform, userId] = a.split(':', 2) as [string, string | undefined];
    return userId && platform in PLATFORM_COLUMN ? [{ assignee: a, column: PLATFORM_COLUMN[platform as keyof typeof PLATFORM_COLUMN], userId, platform }] : [];
  });
  if (platformIds.length > 0) {
    const accounts = await prisma.staffAccount.findMany({
      where: { organizationId, OR: platformIds.map((p) => ({ [p.column]: p.userId })) },
      select: { id: true, name: true, slackUserId: true, microsoftUserId: true, zoomUserId: true },
    });
    for (const p of platformIds) {
      const account = accounts.find((a) => a[p.column] === p.userId);
      if (account) options.set(p.assignee, `staff:${account.id}`);
      names.set(p.assignee, account?.name ?? `someone in ${p.platform === 'teams' ? 'Teams' : p.platform === 'slack' ? 'Slack' : 'Zoom'}`);
    }
  }
  for (const a of assignees) if (!names.has(a)) names.set(a, otherActorWords(a));
  return { names, options };
}

/** Actors that are no staff account: the operator's token, the admin API, the system; a plain name as typed. */
function otherActorWords(actor: string): string {
  if (actor.startsWith('dashboard:admin_token')) return 'the administrator';
  if (actor.startsWith('admin-api:') || actor.startsWith('api-token:')) return 'an administrator (through the API)';
  if (actor === 'system') return 'Rollcall';
  return /^[\w-]+:\S+$/.test(actor) ? 'another staff member' : actor;
}

/** The organization's open follow-ups with why and how many strikes, who can take them, and what the bot could not deliver. */
export async function readFollowUpsPage(deps: PageDeps, organizationId: string, programIds: string[] | null = null): Promise<FollowUpsPageView> {
  const { prisma } = deps;
  const now = deps.clock.now();
  const [all, problems, firstProgram, accounts] = await Promise.all([
    listOpenFollowUps(prisma, organizationId),
    // Delivery problems span the clinic's channels: for those who see the whole clinic only.
    programIds ? Promise.resolve([]) : listDeliveryProblems(prisma, organizationId, now),
    prisma.program.findFirst({ where: { organizationId }, orderBy: { createdAt: 'asc' }, select: { timezone: true } }),
    prisma.staffAccount.findMany({ where: { organizationId, status: 'active' }, orderBy: { name: 'asc' }, select: { id: true, name: true } }),
  ]);
  const open = programIds ? all.filter((f) => programIds.includes(f.programId)) : all;
  const programs = await prisma.program.findMany({ where: { organizationId, id: { in: [...new Set(open.map((f) => f.programId))] } }, select: { id: true, policy: true } });
  const perProgram = new Map(
    await Promise.all(programs.map(async (p) => [p.id, { policy: resolvePolicy(p.policy), strikes: await countStrikes(prisma, { organizationId, programId: p.id, now }) }] as const)),
  );
  const { names, options } = await assigneeNames(prisma, organizationId, [...new Set(open.flatMap((f) => [...(f.assignee ? [f.assignee] : []), ...f.notes.map((n) => n.by)]))]);
  const followUps = open.map((f): FollowUpRow => {
    const program = perProgram.get(f.programId);
    const windowDays = program?.policy.strikeWindowDays ?? 30;
    return {
      ...f,
      reason: describeFollowUpReason({ kind: f.kind, rule: f.rule, windowDays, missesInARow: program?.policy.consecutiveMissesForReview ?? 3 }),
      strikes: program?.strikes.get(f.participantId) ?? 0,
      strikeWindowDays: windowDays,
      assigneeName: f.assignee ? (names.get(f.assignee) ?? f.assignee) : null,
      assigneeOption: f.assignee ? (options.get(f.assignee) ?? null) : null,
      noteAuthors: f.notes.map((n) => names.get(n.by) ?? 'staff'),
    };
  });
  return { followUps, problems, staff: accounts.map((a) => ({ value: `staff:${a.id}`, name: a.name })), timezone: firstProgram?.timezone ?? 'UTC' };
}

/**
 * Replaces each follow-up's stored assignee (`staff:<id>`, `slack:U…`) with the person's name, for
 * pages that only show it: an actor key is a system word.
 */
export async function nameAssignees<F extends { assignee: string | null }>(prisma: Db, organizationId: string, followUps: F[]): Promise<F[]> {
  const assignees = [...new Set(followUps.flatMap((f) => (f.assignee ? [f.assignee] : [])))];
  if (assignees.length === 0) return followUps;
  const { names } = await assigneeNames(prisma, organizationId, assignees);
  for (const f of followUps) if (f.assignee) f.assignee = names.get(f.assignee) ?? 'someone on the staff';
  return followUps;
}
