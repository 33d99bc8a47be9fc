import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actorWords, describeAuditEntry, isDescribedAction, type AuditLookups } from '../../../src/web/audit-sentences.js';

const SESSION = '11111111-1111-4111-8111-111111111111';
const PROGRAM = '22222222-2222-4222-8222-222222222222';
const FOLLOW_UP = '33333333-3333-4333-8333-333333333333';

const lookups: AuditLookups = {
  sessionDay: (id) => (id === SESSION ? 'Mon 9 Nov' : undefined),
  programName: (id) => (id === PROGRAM ? 'Adult IOP – Evening' : undefined),
  followUpKind: (id) => (id === FOLLOW_UP ? 'checkin' : undefined),
  day: (iso) => (iso.startsWith('2026-11-09') ? 'Mon 9 Nov' : undefined),
};

const say = (action: string, data: Record<string, unknown> = {}, who = 'Dana Lee', entityId = FOLLOW_UP) => describeAuditEntry({ action, entityId, data }, who, lookups);

/** Every `src/**.ts` file but the generated Prisma client. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'generated') return [];
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Action codes built from a template (`staff.${change.kind}`): each prefix with the values its
 * variable can take, read off the types named beside it. A new prefix fails the scan below.
 */
const TEMPLATE_VALUES: Record<string, string[]> = {
  installation: ['created', 'connected', 'reinstalled'], // services/installs/place-install.ts outcome
  makeup: ['attended', 'missed'], // services/makeups.ts
  staff: ['approve', 'decline', 'role', 'remove', 'assign'], // services/staff-management.ts StaffChange
  alert: ['offer_makeup', 'send_checkin'], // services/outreach.ts OutreachKind
  follow_up: ['open', 'done', 'dismissed', 'update', 'assign', 'complete', 'dismiss'], // services/follow-ups.ts: a state change, or the dashboard's FollowUpChange
};

function actionCodesInSource(): { literals: Set<string>; prefixes: Set<string> } {
  const literals = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of sourceFiles(path.resolve('src'))) {
    const text = readFileSync(file, 'utf8');
    // The expression after `action:` (or `auditAction =`), up to the end of its property.
    for (const match of text.matchAll(/\b(?:action|auditAction)\s*(?::|=)\s*([^,;\n}]*)/g)) {
      const expression = match[1]!;
      for (const literal of expression.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) literals.add(literal[1]!);
      for (const template of expression.matchAll(/`([a-z_]+)\.\$\{/g)) prefixes.add(template[1]!);
    }
  }
  return { literals, prefixes };
}

describe('audit entries in plain words', () => {
  it('has a sentence for every action code the code base writes', () => {
    const { literals, prefixes } = actionCodesInSource();
    // The scan finds what it should (a scan that found nothing would pass vacuously).
    expect(literals).toContain('attendance.excuse');
    expect(literals).toContain('participant.sms_opt_out');
    expect(literals).toContain('identity.add');
    expect([...prefixes].sort()).toEqual(Object.keys(TEMPLATE_VALUES).sort());
    const codes = [...literals, ...Object.entries(TEMPLATE_VALUES).flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`))];
    expect(codes.filter((code) => !isDescribedAction(code))).toEqual([]);
    for (const code of codes) {
      const sentence = say(code, { sessionId: SESSION, programId: PROGRAM, kind: 'checkin', platform: 'zoom', source: 'staff', fields: ['name'] });
      expect(sentence).toMatch(/^Dana Lee /);
      // No stored code leaks into the words.
      expect(sentence).not.toMatch(/[a-z]+_[a-z]+|[a-z]+\.[a-z]+|undefined|null/);
    }
  });

  it('names the session, the category and the follow-up', () => {
    expect(say('attendance.excuse', { sessionId: SESSION })).toBe('Dana Lee excused the absence on Mon 9 Nov');
    expect(say('follow_up.propose', { kind: 'checkin', rule: 'ladder:2' }, 'Rollcall')).toBe('Rollcall proposed a check-in (2 strikes)');
    expect(say('follow_up.propose', { kind: 'formal_review', rule: 'dropout' }, 'Rollcall')).toBe('Rollcall proposed a formal review (missed sessions in a row with no contact)');
    expect(say('follow_up.complete')).toBe('Dana Lee marked the check-in done');
    expect(say('follow_up.update', { fields: ['note'] })).toBe('Dana Lee added a note to the check-in');
    expect(say('absence.report', { sessionId: SESSION, category: 'family_emergency', excused: true }, 'Casey Morgan')).toBe(
      'Casey Morgan reported an absence for Mon 9 Nov (family or personal emergency, excused)',
    );
    expect(say('attendance.override', { sessionId: SESSION, decided: 'excused' })).toBe('Dana Lee changed the record on Mon 9 Nov to Excused');
    expect(say('participant.discharge', { programId: PROGRAM })).toBe('Dana Lee discharged them from Adult IOP – Evening');
    expect(say('participant.update', { fields: ['name', 'email', 'phone'] })).toBe('Dana Lee changed their name, email and phone number');
    expect(say('identity.add', { platform: 'zoom', kind: 'email' })).toBe('Dana Lee added their Zoom email address');
    expect(say('session.cancel', { startsAt: '2026-11-09T23:00:00.000Z', programId: PROGRAM })).toBe('Dana Lee cancelled the session of Mon 9 Nov of Adult IOP – Evening');
  });

  it('says how texts were agreed to or stopped', () => {
    expect(say('participant.sms_opt_out', { source: 'stop_keyword' }, 'Casey Morgan')).toBe('Casey Morgan stopped texts by replying STOP');
    expect(say('participant.sms_consent', { source: 'start_keyword' }, 'Casey Morgan')).toBe('Casey Morgan agreed to texts by replying START');
    expect(say('participant.sms_consent', { source: 'intake_form' })).toBe('Dana Lee recorded that they agreed to texts (intake form)');
    expect(say('participant.sms_opt_out', { source: 'staff' })).toBe('Dana Lee recorded that they no longer agree to texts');
  });

  it('leaves out what it does not know rather than printing a code or "undefined"', () => {
    expect(say('attendance.excuse', { sessionId: 'gone' })).toBe('Dana Lee excused the absence');
    expect(say('follow_up.dismiss', {}, 'Dana Lee', 'unknown')).toBe('Dana Lee dismissed the follow-up');
    expect(say('something.new')).toBe('Dana Lee made a change to the record');
  });

  it('names actors: people by name, the operator token, the engine, platform users by platform', () => {
    const names = new Map([['staff:abc', 'Dana Lee']]);
    expect(actorWords('staff:abc', names)).toBe('Dana Lee');
    expect(actorWords('system', names)).toBe('Rollcall');
    expect(actorWords('admin-api:ADMIN_TOKEN', names)).toBe('Admin token');
    expect(actorWords('dashboard:admin_token:ADMIN_TOKEN', names)).toBe('Admin token');
    expect(actorWords('admin-api:billing', names)).toBe('API token “billing”');
    expect(actorWords('slack:U0FACIL', names)).toBe('Someone on Slack');
    expect(actorWords('staff:gone', names)).toBe('A staff member');
    expect(actorWords('what:ever', names)).toBe('Someone');
  });
});
