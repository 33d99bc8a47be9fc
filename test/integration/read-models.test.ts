import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { isoWeekOf } from '../../src/core/weekly-hours.js';
import type { Clock } from '../../src/clock.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createPrisma, type Db } from '../../src/db/database.js';
import type { ParticipantTarget } from '../../src/services/participant-messenger.js';
import type { ParticipantMessage } from '../../src/core/participant-message.js';
import { offerRecordingToAbsentees } from '../../src/services/material-offers.js';
import { deleteMaterial, listSessionRecordingIds, storeRecordingMaterial } from '../../src/services/materials.js';
import { createProgram, updateProgram } from '../../src/services/program-changes.js';
import { readHomeAudience, readParticipantHome, readStaffHome } from '../../src/services/queries/app-home-queries.js';
import { listLibraryMaterials, listParticipantMessages } from '../../src/services/queries/care-queries.js';
import { readProgramPage } from '../../src/services/queries/dashboard-pages.js';
import { readFollowUpsPage } from '../../src/services/queries/follow-ups-page.js';
import { findProgram, findProgramIds, listPrograms, requireProgram } from '../../src/services/queries/program-queries.js';
import { readParticipantSummary } from '../../src/services/queries/report-queries.js';
import { findRecordedSession, findSession, listProgramSessions } from '../../src/services/queries/session-queries.js';
import type { SessionEvaluator } from '../../src/services/session-evaluator.js';
import { ServiceError } from '../../src/services/service-error.js';
import { SEED_ZONE, seedClinic, type Seed } from '../support/dashboard-seed.js';
import { createTestDatabase } from '../support/test-database.js';

const NOW = new Date('2026-03-18T12:00:00Z');
const clock: Clock = { now: () => NOW, toRealTime: (at) => at };
// Read models that show live attendance ask the evaluator; the seeded sessions are all in the past.
const evaluator = { peek: async () => null } as unknown as SessionEvaluator;

let prisma: Db;
let deps: { prisma: Db; clock: Clock; evaluator: SessionEvaluator };
let maple: Seed;
let birch: Seed;

beforeAll(async () => {
  prisma = createPrisma(await createTestDatabase());
  deps = { prisma, clock, evaluator };
  maple = await seedClinic(prisma, NOW, { name: 'Maple Clinic' });
  birch = await seedClinic(prisma, NOW, { name: 'Birch Clinic' });
});

afterAll(async () => {
  await prisma.$disconnect();
});

async function expectRefusal(promise: Promise<unknown>, kind: ServiceError['kind']): Promise<ServiceError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).kind).toBe(kind);
  return error as ServiceError;
}

describe('program queries', () => {
  it('see only the organization’s programs, by name or by creation', async () => {
    const second = await prisma.program.create({ data: { organizationId: maple.organizationId, name: 'Adolescent IOP', timezone: 'UTC', policy: {}, alertPlatform: 'slack', alertChannelId: 'C0TEEN' } });
    expect((await listPrograms(deps, maple.organizationId, 'name')).map((p) => p.name)).toEqual(['Adolescent IOP', 'Adult IOP – Evening']);
    expect((await listPrograms(deps, maple.organizationId)).map((p) => p.id)).toEqual([maple.programId, second.id]);
    expect(await findProgram(deps, maple.organizationId, birch.programId)).toBeNull();
    await expectRefusal(requireProgram(deps, maple.organizationId, birch.programId), 'not_found');
    expect(await findProgramIds(deps, maple.organizationId, [second.id.toUpperCase(), birch.programId])).toEqual(new Set([second.id]));
  });
});

describe('session queries', () => {
  it('list a program’s sessions in a half-open range and find none of another clinic', async () => {
    const all = await listProgramSessions(deps, maple.organizationId, maple.programId, {});
    expect(all.map((s) => s.id)).toEqual(maple.sessionIds);
    const [, second, third] = all;
    const some = await listProgramSessions(deps, maple.organizationId, maple.programId, { from: second!.startsAt, to: third!.startsAt });
    expect(some.map((s) => s.id)).toEqual([second!.id]);
    expect(await findSession(deps, maple.organizationId, birch.sessionIds[0]!)).toBeNull();
  });

  it('match a recording to the session holding its meeting instance first, within the clinic when named', async () => {
    const [first, second] = maple.sessionIds;
    await prisma.session.update({ where: { id: second! }, data: { meetingInstanceId: 'instance-2==' } });
    const startOfFirst = (await findSession(deps, maple.organizationId, first!))!.startsAt;
    const input = { platform: 'zoom' as const, meetingId: '85512345678' };
    expect((await findRecordedSession(deps, { ...input, organizationId: maple.organizationId, meetingInstanceId: 'instance-2==', at: startOfFirst }))?.id).toBe(second);
    expect((await findRecordedSession(deps, { ...input, organizationId: maple.organizationId, meetingInstanceId: 'other==', at: startOfFirst }))?.id).toBe(first);
    expect((await findRecordedSession(deps, { ...input, organizationId: birch.organizationId, meetingInstanceId: 'instance-2==', at: new Date(0) }))).toBeNull();
  });
});

describe('dashboard pages', () => {
  it('read the program page as of the clock, and nothing for another clinic’s program', async () => {
    const page = await readProgramPage(deps, maple.organizationId, maple.programId, {});
    expect(page?.report.program.id).toBe(maple.programId);
    expect(page?.strikeWindowDays).toBe(30);
    expect(page?.followUps.map((f) => f.id)).toEqual([maple.followUpId]);
    expect(page?.strikes.get(maple.participants['Casey Morgan, Jr.']!)).toBeGreaterThan(0);
    expect(await readProgramPage(deps, maple.organizationId, birch.programId, {})).toBeNull();
  });

  it('read the follow-up queue in the first program’s zone, UTC for a clinic with none', async () => {
    const page = await readFollowUpsPage(deps, birch.organizationId);
    expect(page.followUps.map((f) => f.id)).toEqual([birch.followUpId]);
    expect(page.timezone).toBe('America/New_York');
    const empty = await prisma.organization.create({ data: { name: 'Empty Clinic' } });
    expect(await readFollowUpsPage(deps, empty.id)).toEqual({ followUps: [], problems: [], staff: [], timezone: 'UTC' });
  });

  it('read one participant’s summary, refused for another clinic’s participant', async () => {
    const avery = maple.participants['Avery Stone']!;
    const summary = await readParticipantSummary(deps, maple.organizationId, avery, {});
    expect(summary.participantName).toBe('Avery Stone');
    expect(summary.organizationName).toBe('Maple Clinic');
    expect(new Set(summary.report.rows.map((r) => r.participantId))).toEqual(new Set([avery]));
    await expectRefusal(readParticipantSummary(deps, birch.organizationId, avery, {}), 'not_found');
  });
});

describe('care queries', () => {
  it('list a participant’s messages only for their own clinic, and library materials without recordings', async () => {
    const casey = maple.participants['Casey Morgan, Jr.']!;
    await prisma.participantOutboxMessage.create({ data: { organizationId: maple.organizationId, participantId: casey, purpose: 'no_show_follow_up', dedupeKey: 'test:1', message: { text: 'We missed you', choices: [] } } });
    expect((await listParticipantMessages(deps, maple.organizationId, casey))?.map((m) => [m.purpose, m.text])).toEqual([['no_show_follow_up', 'We missed you']]);
    expect(await listParticipantMessages(deps, birch.organizationId, casey)).toBeNull();
    await prisma.material.create({ data: { organizationId: maple.organizationId, programId: maple.programId, kind: 'worksheet', title: 'Grounding', url: 'https://example.org/g', createdBy: 't' } });
    await prisma.material.create({ data: { organizationId: maple.organizationId, programId: maple.programId, kind: 'recording', title: 'Rec', url: 'https://example.org/r', createdBy: 't' } });
    expect((await listLibraryMaterials(deps, maple.organizationId, maple.programId)).map((m) => m.kind)).toEqual(['worksheet']);
    expect(await listLibraryMaterials(deps, birch.organizationId, maple.programId)).toEqual([]);
  });
});

describe('App Home', () => {
  it('tells staff, participants (only while participant chat is on) and anyone else apart', async () => {
    await prisma.program.update({ where: { id: maple.programId }, data: { staffUserIds: ['U0STAFF'] } });
    await prisma.followUp.update({ where: { id: maple.followUpId }, data: { assignee: 'slack:U0STAFF' } });
    expect(await readHomeAudience(deps, maple.organizationId, 'slack', 'U0STAFF')).toEqual({ kind: 'staff' });
    expect(await readHomeAudience(deps, maple.organizationId, 'slack', 'U0AVERY')).toEqual({ kind: 'outsider', clinicContact: undefined });
    await prisma.organization.update({ where: { id: maple.organizationId }, data: { settings: { participantChat: { slack: true } } } });
    expect(await readHomeAudience(deps, maple.organizationId, 'slack', 'U0AVERY')).toEqual({ kind: 'participant' });
    const staff = await readStaffHome(deps, maple.organizationId, 'slack', 'U0STAFF');
    expect(staff).toEqual({ sessions: [], followUps: [{ kind: 'outreach', programName: 'Adult IOP – Evening', createdAt: expect.any(Date) }] });
    expect((await readStaffHome(deps, birch.organizationId, 'slack', 'U0STAFF')).followUps).toEqual([]);
    // Assigned from the dashboard to the person's staff account: the same person's home in Slack lists it.
    const account = await prisma.staffAccount.create({ data: { organizationId: maple.organizationId, name: 'Sam Staff', role: 'facilitator', status: 'active', slackUserId: 'U0STAFF' } });
    await prisma.followUp.update({ where: { id: maple.followUpId }, data: { assignee: `staff:${account.id}` } });
    expect((await readStaffHome(deps, maple.organizationId, 'slack', 'U0STAFF')).followUps).toHaveLength(1);
    expect((await readStaffHome(deps, maple.organizationId, 'slack', 'U0OTHER')).followUps).toEqual([]);
  });

  it('shows a participant only their own linked record', async () => {
    const avery = maple.participants['Avery Stone']!;
    await prisma.identity.create({ data: { organizationId: maple.organizationId, participantId: avery, platform: 'slack', kind: 'user_id', value: 'U0AVERY' } });
    const home = await readParticipantHome(deps, maple.organizationId, 'slack', 'U0AVERY');
    expect(home?.timezone).toBeNull();
    // The week requires the lesser of 9 h and what the program offered this week (core/weekly-credit.ts).
    const week = isoWeekOf(new Date(), SEED_ZONE);
    const offered = await prisma.session.findMany({ where: { programId: maple.programId, startsAt: { gte: week.start, lt: week.end } } });
    const offeredMinutes = offered.reduce((sum, s) => sum + Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / 60_000), 0);
    // Avery has no excused absence this week, so nothing lowers it further.
    expect(home?.progress.requiredMinutes).toBe(Math.min(9 * 60, offeredMinutes));
    expect(home?.progress.weekText).toMatch(/^(met|short by|on track|at risk)/);
    expect(await readParticipantHome(deps, birch.organizationId, 'slack', 'U0AVERY')).toBeNull();
  });
});

describe('material offers', () => {
  it('store a recording once and offer it once to each absent participant, with the passcode in their message only', async () => {
    const box = createSecretBox(Buffer.alloc(32, 7));
    const sessionId = maple.sessionIds[4]!;
    const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { program: true } });
    const input = { session, externalKey: 'test-recording:abc', url: 'https://example.org/rec', passcode: 'pass-123', createdBy: 'test' };
    const stored = await storeRecordingMaterial({ prisma, box }, input);
    expect(stored.created).toBe(true);
    expect(await storeRecordingMaterial({ prisma, box }, input)).toEqual({ materialId: stored.materialId, created: false });
    expect(await listSessionRecordingIds(deps, sessionId, 'test-recording:')).toEqual([stored.materialId]);
    expect(await listSessionRecordingIds(deps, sessionId, 'zoom-recording:')).toEqual([]);

    // Session 5: Casey was the one no-show; only a participant with a chat account can be offered it.
    const casey = maple.participants['Casey Morgan, Jr.']!;
    await prisma.identity.create({ data: { organizationId: maple.organizationId, participantId: casey, platform: 'teams', kind: 'aad_object_id', value: 'aad-casey' } });
    const sent: Array<{ target: ParticipantTarget; message: ParticipantMessage }> = [];
    const offerDeps = { prisma, box, log: pino({ level: 'silent' }), messengerFor: () => ({ send: async (target: ParticipantTarget, message: ParticipantMessage) => (sent.push({ target, message }), { messageId: 'm1' }) }) };
    expect(await offerRecordingToAbsentees(offerDeps, stored.materialId, { preferred: 'zoom' })).toEqual({ offered: 1 });
    expect(await offerRecordingToAbsentees(offerDeps, stored.materialId, { preferred: 'zoom' })).toEqual({ offered: 0 });
    expect(sent.map((s) => [s.target.platform, s.target.userId])).toEqual([['teams', 'aad-casey']]);
    expect(sent[0]!.message.text).toContain('Passcode: pass-123');
    const offers = await prisma.materialOffer.findMany({ where: { materialId: stored.materialId } });
    expect(offers.map((o) => [o.participantId, o.state])).toEqual([[casey, 'sent']]);
  });

  it('offer nothing before the session’s record is final, and delete only the clinic’s own material', async () => {
    const box = createSecretBox(Buffer.alloc(32, 7));
    const session = await prisma.session.create({
      data: { organizationId: maple.organizationId, programId: maple.programId, startsAt: NOW, endsAt: new Date(NOW.getTime() + 3_600_000), meetingPlatform: 'zoom', meetingId: '1' },
      include: { program: true },
    });
    const stored = await storeRecordingMaterial({ prisma, box }, { session, externalKey: 'test-recording:open', url: 'https://example.org/open', createdBy: 'test' });
    const blake = maple.participants['Blake Rivera']!;
    await prisma.identity.create({ data: { organizationId: maple.organizationId, participantId: blake, platform: 'zoom', kind: 'user_id', value: 'zoom-blake' } });
    await prisma.attendance.create({ data: { organizationId: maple.organizationId, sessionId: session.id, participantId: blake, status: 'no_show', minutesPresent: 0 } });
    const sent: ParticipantTarget[] = [];
    const offerDeps = { prisma, box, log: pino({ level: 'silent' }), messengerFor: () => ({ send: async (target: ParticipantTarget) => (sent.push(target), { messageId: 'm2' }) }) };
    expect(await offerRecordingToAbsentees(offerDeps, stored.materialId)).toEqual({ offered: 0 });
    expect(sent).toEqual([]);
    await expectRefusal(deleteMaterial(deps, { organizationId: birch.organizationId, actor: 't', materialId: stored.materialId }), 'not_found');
    await deleteMaterial(deps, { organizationId: maple.organizationId, actor: 't', materialId: stored.materialId });
    expect(await prisma.material.findUnique({ where: { id: stored.materialId } })).toBeNull();
  });
});

describe('program changes', () => {
  it('refuse a make-up partner of another clinic, naming the field; audit the fields changed, not their values', async () => {
    const base = { organizationId: maple.organizationId, actor: 'admin-api:test', name: 'Weekend IOP', timezone: 'UTC', alertChannel: { platform: 'slack' as const, channelId: 'C0WKND' } };
    const existing = await prisma.program.findUniqueOrThrow({ where: { id: maple.programId } });
    const policy = { ...(existing.policy as object), makeUpPartnerProgramIds: [birch.programId] } as Parameters<typeof createProgram>[1]['policy'];
    const refused = createProgram(deps, { ...base, policy });
    await expectRefusal(refused, 'invalid_input');
    await expect(refused).rejects.toThrow('policy.makeUpPartnerProgramIds.0: not a program of this organization');
    const created = await createProgram(deps, { ...base, policy: { ...policy, makeUpPartnerProgramIds: [maple.programId] } });
    await updateProgram(deps, { organizationId: maple.organizationId, actor: 'admin-api:test', programId: created.id, changes: { name: 'Weekend IOP (new)' }, fields: ['name'] });
    const audit = await prisma.auditLog.findMany({ where: { entityId: created.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => [a.action, a.data])).toEqual([['program.create', {}], ['program.update', { fields: ['name'] }]]);
  });
});
