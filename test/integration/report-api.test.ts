import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { parseCsv, SEED_PATTERN, SEED_ZONE, seedClinic, type Seed } from '../support/dashboard-seed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { REPORT_CSV_COLUMNS } from '../../src/services/report-csv.js';

let app: TestApp;
let seed: Seed;
const now = new Date();
const from = DateTime.fromJSDate(now, { zone: SEED_ZONE }).minus({ days: 20 }).toISODate()!;
const to = DateTime.fromJSDate(now, { zone: SEED_ZONE }).toISODate()!;

beforeAll(async () => {
  app = await startTestApp({ platforms: [] });
  seed = await seedClinic(app.database.prisma, now);
});
afterAll(async () => {
  await app?.stop();
});

const report = (query: string, token = seed.token) =>
  fetch(`${app.url}/api/v1/programs/${seed.programId}/report?${query}`, { headers: { authorization: `Bearer ${token}` } });

describe('GET /api/v1/programs/:id/report', () => {
  it('answers JSON: one row per participant and session, as stored, with staff decisions beside detections', async () => {
    const response = await report(`from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    const body: any = await response.json();
    expect(body.program).toMatchObject({ id: seed.programId, timezone: SEED_ZONE, weeklyHoursRequired: 9 });
    expect(body.rows).toHaveLength(15);
    const stored = await app.database.prisma.attendance.findMany({ where: { organizationId: seed.organizationId } });
    for (const row of stored) {
      const line = body.rows.find((r: any) => r.sessionId === row.sessionId && r.participantId === row.participantId);
      expect(line).toMatchObject({ presentMinutes: row.minutesPresent, detectedStatus: row.status, staffStatus: row.overrideStatus, scheduledMinutes: 180 });
    }
    const casey = body.rows.filter((r: any) => r.participantId === seed.participants['Casey Morgan, Jr.']);
    expect(casey.map((r: any) => r.status)).toEqual(['no_show', 'present', 'late', 'excused', 'no_show']);
    expect(casey[3]).toMatchObject({ detectedStatus: 'no_show', staffStatus: 'excused', statusSource: 'staff', reasonCategory: 'transport' });
    const blake = body.rows.filter((r: any) => r.participantId === seed.participants['Blake Rivera']);
    expect(blake[1]).toMatchObject({ status: 'excused', statusSource: 'detected', reasonCategory: 'illness' });
    // Per-day totals: one evening session a day, so a day's minutes are its session's.
    expect(body.days).toHaveLength(15);
    expect(body.days.every((d: any) => d.sessions === 1)).toBe(true);
    // Per-week totals: each session attended credits its scheduled 3 h (weeklyHoursCredit: scheduled), and a
    // week requires the lesser of 9 h and what the program offered that week (one or two sessions here).
    const averyWeeks = body.weeks.filter((w: any) => w.participantId === seed.participants['Avery Stone']);
    expect(averyWeeks.reduce((sum: number, w: any) => sum + w.presentMinutes, 0)).toBe(178 * 3 + 150 * 2);
    expect(averyWeeks.reduce((sum: number, w: any) => sum + w.creditedMinutes, 0)).toBe(180 * 5);
    expect(averyWeeks.map((w: any) => [w.requiredMinutes, w.statusText])).toEqual(averyWeeks.map((w: any) => [180 * w.sessions, 'met']));
    const caseyWeeks = body.weeks.filter((w: any) => w.participantId === seed.participants['Casey Morgan, Jr.']);
    expect(caseyWeeks.filter((w: any) => w.state === 'short').reduce((sum: number, w: any) => sum + w.shortByMinutes, 0)).toBe(2 * 180);
  });

  it('answers CSV with the same rows, totals, and a file name', async () => {
    const response = await report(`from=${from}&to=${to}&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="?attendance-adult-iop-evening-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv"?$/);
    const [header, ...records] = parseCsv(await response.text());
    expect(header).toEqual([...REPORT_CSV_COLUMNS]);
    const col = (name: string) => header!.indexOf(name);
    const sessions = records.filter((r) => r[0] === 'session');
    expect(sessions).toHaveLength(15);
    // A name with a comma survives quoting.
    expect(sessions.filter((r) => r[col('participant')] === 'Casey Morgan, Jr.')).toHaveLength(5);
    const statuses = Object.fromEntries(Object.keys(SEED_PATTERN).map((name) => [name, sessions.filter((r) => r[col('participant')] === name).map((r) => r[col('status')]).join(',')]));
    expect(statuses).toEqual({
      'Avery Stone': 'present,present,present,late,late',
      'Blake Rivera': 'present,excused,present,no_show,present',
      'Casey Morgan, Jr.': 'no_show,present,late,excused,no_show',
    });
    expect(records.filter((r) => r[0] === 'day')).toHaveLength(15);
    const weeks = records.filter((r) => r[0] === 'week');
    expect(weeks.length).toBeGreaterThanOrEqual(6);
    expect(weeks.every((r) => Number(r[col('required_minutes')]) % 180 === 0 && /^20\d\d-W\d\d$/.test(r[col('week')]!))).toBe(true);
    expect(new Set(weeks.map((r) => r[col('week_status')]!.replace(/\d+ h( \d+ min)?/, 'N')))).toEqual(new Set(['met', 'short by N']));
  });

  it('answers one sheet per kind of record: absences with their session, category and who reported them', async () => {
    const response = await report(`from=${from}&to=${to}&format=csv&sheet=absences`);
    expect(response.headers.get('content-disposition')).toMatch(/-absences\.csv"?$/);
    const [header, ...records] = parseCsv(await response.text());
    expect(header).toEqual(['date', 'participant_id', 'participant', 'session_id', 'session_start_local', 'category', 'excused', 'reported_by', 'reported_at_local', 'status']);
    const stored = await app.database.prisma.absence.findMany({ where: { organizationId: seed.organizationId } });
    expect(records.map((r) => r[header!.indexOf('category')]).sort()).toEqual(stored.map((a) => a.category).sort());
    expect(records.every((r) => /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(r[header!.indexOf('session_start_local')]!))).toBe(true);
  });

  it('defuses a participant name that a spreadsheet would run as a formula', async () => {
    await app.database.prisma.participant.update({ where: { id: seed.participants['Avery Stone']! }, data: { name: '=HYPERLINK("http://x")' } });
    try {
      const text = await (await report(`from=${from}&to=${to}&format=csv`)).text();
      expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
      expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    } finally {
      await app.database.prisma.participant.update({ where: { id: seed.participants['Avery Stone']! }, data: { name: 'Avery Stone' } });
    }
  });

  it('defaults to the last four weeks', async () => {
    const body: any = await (await report('')).json();
    expect(body.to).toBe(to);
    expect(body.rows).toHaveLength(15);
  });

  it.each([
    ['from=yesterday', 'query.from'],
    [`from=${to}&to=${from}`, 'query.to'],
    ['format=xlsx', 'query.format'],
  ])('refuses %s with 400 naming the field', async (query, field) => {
    const response = await report(query);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}`));
  });

  it('names the session that made up a missed one (an attended make-up booking), in JSON and CSV', async () => {
    const casey = seed.participants['Casey Morgan, Jr.']!;
    const [missed, makeUp] = [seed.sessionIds[0]!, seed.sessionIds[1]!];
    await app.database.prisma.makeUpBooking.create({ data: { organizationId: seed.organizationId, participantId: casey, missedSessionId: missed, makeUpSessionId: makeUp, state: 'attended' } });
    const makeUpStart = (await app.database.prisma.session.findUniqueOrThrow({ where: { id: makeUp } })).startsAt.toISOString();
    const body: any = await (await report(`from=${from}&to=${to}`)).json();
    const row = body.rows.find((r: any) => r.sessionId === missed && r.participantId === casey);
    expect(row.madeUpBy).toEqual({ sessionId: makeUp, startsAt: makeUpStart });
    expect(body.rows.filter((r: any) => r.madeUpBy !== null)).toHaveLength(1);
    const [header, ...lines] = parseCsv(await (await report(`from=${from}&to=${to}&format=csv`)).text());
    const at = (name: string) => header!.indexOf(name);
    const line = lines.find((l) => l[at('record')] === 'session' && l[at('session_id')] === missed && l[at('participant_id')] === casey)!;
    expect([line[at('made_up_by_session_id')], line[at('made_up_by_session_start')]]).toEqual([makeUp, makeUpStart]);
  });

  it("answers 404 to another organization's token and 401 to none", async () => {
    expect((await report('', 'test-admin-token-0123456789')).status).toBe(404);
    expect((await fetch(`${app.url}/api/v1/programs/${seed.programId}/report`)).status).toBe(401);
  });
});
