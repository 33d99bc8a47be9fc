import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { defaultIdentityKind, normalizeIdentityValue } from '../core/identity.js';
import { toE164 } from '../core/phone-number.js';
import { plainText } from '../core/plain-text.js';
import type { Platform } from '../core/presence-event.js';
import type { Db } from '../db/database.js';
import { enrollInTransaction } from './enrollments.js';
import { writeAudit } from './audit.js';

/** Rows one import takes: a clinic's intake list, not a migration. */
export const MAX_IMPORT_ROWS = 500;

const PLATFORMS: Platform[] = ['zoom', 'teams', 'slack'];

/** Column names as clinics write them, lower-cased with spaces and underscores removed. */
const COLUMNS: Record<string, string> = {
  name: 'name',
  fullname: 'name',
  email: 'email',
  phone: 'phone',
  mobile: 'phone',
  zoom: 'zoom',
  zoomid: 'zoom',
  teams: 'teams',
  teamsid: 'teams',
  slack: 'slack',
  slackid: 'slack',
  enrolled: 'enrolledOn',
  enrolledon: 'enrolledOn',
  enrolmentdate: 'enrolledOn',
  enrollmentdate: 'enrolledOn',
  smsconsent: 'smsConsent',
  textsok: 'smsConsent',
  agreedtotexts: 'smsConsent',
};

export interface ImportRow {
  /** The line in the file (the header is line 1). */
  line: number;
  name: string;
  email: string;
  phone: string;
  ids: Partial<Record<Platform, string>>;
  enrolledOn: string;
  /** "yes" when the intake form recorded the person's agreement to texts (any of yes/y/true/1); else no. */
  smsConsent: string;
  /** Field → what is wrong, in words; empty when the row can be imported. */
  errors: Record<string, string>;
}

export interface ImportPlan {
  rows: ImportRow[];
  /** Problems with the file as a whole (no name column, too many rows, not CSV). */
  fileErrors: string[];
}

const emailSchema = z.string().trim().toLowerCase().email();
const CONSENT_WORDS: Record<string, boolean> = { yes: true, y: true, true: true, '1': true, no: false, n: false, false: false, '0': false, '': false };
const nameSchema = plainText(200);

/**
 * Reads a CSV of participants and checks every row (its own fields, duplicates within the file, and
 * emails or platform ids the clinic already has), without changing anything: what the preview shows.
 */
export async function planParticipantImport(deps: { prisma: Db }, input: { organizationId: string; programId: string; timezone: string; csv: string; now: Date }): Promise<ImportPlan> {
  let records: string[][];
  try {
    records = parse(input.csv.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch {
    return { rows: [], fileErrors: ['The file could not be read as CSV. Save it from your spreadsheet as "CSV (comma separated)".'] };
  }
  const [header, ...body] = records;
  const columns = (header ?? []).map((h) => COLUMNS[h.toLowerCase().replace(/[\s_-]/g, '')]);
  if (!columns.includes('name')) return { rows: [], fileErrors: ['The first line must name the columns, with at least "name" (also: email, phone, zoom, teams, slack, enrolment date).'] };
  if (body.length === 0) return { rows: [], fileErrors: ['The file has no participants under its header line.'] };
  if (body.length > MAX_IMPORT_ROWS) return { rows: [], fileErrors: [`The file has ${body.length} rows; import at most ${MAX_IMPORT_ROWS} at a time.`] };

  const rows = body.map((cells, i) => {
    const cell = (key: string) => cells[columns.indexOf(key)] ?? '';
    const row: ImportRow = { line: i + 2, name: cell('name'), email: cell('email'), phone: cell('phone'), ids: {}, enrolledOn: cell('enrolledOn'), smsConsent: cell('smsConsent'), errors: {} };
    for (const platform of PLATFORMS) if (cell(platform)) row.ids[platform] = cell(platform);
    checkRow(row, input.timezone, input.now);
    return row;
  });
  await checkAgainstClinic(deps, input, rows);
  return { rows, fileErrors: [] };
}

function checkRow(row: ImportRow, timezone: string, now: Date): void {
  if (!nameSchema.safeParse(row.name).success) row.errors.name = row.name ? 'Name is too long or holds control characters.' : 'Enter a name.';
  if (row.email) {
    const email = emailSchema.safeParse(row.email);
    if (email.success) row.email = email.data;
    else row.errors.email = 'Not an email address.';
  }
  if (row.phone && !toE164(row.phone)) row.errors.phone = 'Not a phone number Rollcall can text: write it with its country code, e.g. +1 415 555 0123.';
  if (!(row.smsConsent.toLowerCase() in CONSENT_WORDS)) row.errors.smsConsent = 'Write yes or no: did the person agree to texts?';
  else if (CONSENT_WORDS[row.smsConsent.toLowerCase()] && !row.phone) row.errors.smsConsent = 'Agreement to texts needs a phone number on the same row.';
  for (const [platform, id] of Object.entries(row.ids)) if (!plainText(320).safeParse(id).success) row.errors[platform] = 'This id is too long or holds control characters.';
  if (row.enrolledOn) {
    const day = DateTime.fromISO(row.enrolledOn, { zone: timezone });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.enrolledOn) || !day.isValid) row.errors.enrolledOn = 'Write the date as YYYY-MM-DD, e.g. 2026-11-30.';
    else if (day.toJSDate() > now) row.errors.enrolledOn = 'The enrolment date is in the future.';
  }
}

/** A second row with the same email or platform id, or one the clinic already has, is refused on its row. */
async function checkAgainstClinic(deps: { prisma: Db }, input: { organizationId: string; programId: string }, rows: ImportRow[]): Promise<void> {
  const seenEmails = new Map<string, number>();
  const seenIds = new Map<string, number>();
  const seenPhones = new Map<string, number>();
  for (const row of rows) {
    const phone = row.phone && !row.errors.phone ? toE164(row.phone) : null;
    if (phone) {
      const first = seenPhones.get(phone);
      if (first) row.errors.phone = `Same phone as line ${first}.`;
      else seenPhones.set(phone, row.line);
    }
    if (row.email && !row.errors.email) {
      const first = seenEmails.get(row.email);
      if (first) row.errors.email = `Same email as line ${first}.`;
      else seenEmails.set(row.email, row.line);
    }
    for (const [platform, id] of Object.entries(row.ids)) {
      const key = identityKey(platform as Platform, id);
      const first = seenIds.get(key);
      if (first && !row.errors[platform]) row.errors[platform] = `Same ${platform} id as line ${first}.`;
      else seenIds.set(key, row.line);
    }
  }
  const emails = [...seenEmails.keys()];
  const enrolled = emails.length
    ? await deps.prisma.participant.findMany({
        where: { organizationId: input.organizationId, email: { in: emails }, enrollments: { some: { programId: input.programId, status: 'active' } } },
        select: { email: true },
      })
    : [];
  const enrolledEmails = new Set(enrolled.map((p) => p.email));
  const keys = rows.flatMap((r) => Object.entries(r.ids).map(([platform, id]) => ({ platform: platform as Platform, kind: defaultIdentityKind(platform as Platform), value: normalizeIdentityValue(defaultIdentityKind(platform as Platform), id) })));
  const taken = keys.length
    ? await deps.prisma.identity.findMany({ where: { organizationId: input.organizationId, OR: keys }, select: { platform: true, value: true } })
    : [];
  const takenKeys = new Set(taken.map((t) => identityKey(t.platform, t.value)));
  const phones = [...seenPhones.keys()];
  const takenPhones = new Set(
    phones.length ? (await deps.prisma.participant.findMany({ where: { organizationId: input.organizationId, phone: { in: phones } }, select: { phone: true } })).map((p) => p.phone) : [],
  );
  for (const row of rows) {
    if (row.phone && !row.errors.phone && takenPhones.has(toE164(row.phone))) row.errors.phone = 'This phone number already belongs to someone in your clinic.';
    if (row.email && enrolledEmails.has(row.email) && !row.errors.email) row.errors.email = 'Someone with this email is already enrolled in this program.';
    for (const [platform, id] of Object.entries(row.ids)) {
      if (!row.errors[platform] && takenKeys.has(identityKey(platform as Platform, id))) row.errors[platform] = `This ${platform} id already belongs to someone in your clinic.`;
    }
  }
}

function identityKey(platform: Platform, id: string): string {
  return `${platform}\u0000${normalizeIdentityValue(defaultIdentityKind(platform), id)}`;
}

/**
 * Enrolls every row of a plan in one transaction: all of them or, on any problem, none. The plan is
 * made again from the same file first, so rows are never applied past a check.
 */
export async function applyParticipantImport(
  deps: { prisma: Db },
  input: { organizationId: string; actor: string; programId: string; timezone: string; csv: string; now: Date },
): Promise<{ plan: ImportPlan; participantIds: string[] }> {
  const plan = await planParticipantImport(deps, input);
  if (plan.fileErrors.length > 0 || plan.rows.some((r) => Object.keys(r.errors).length > 0)) return { plan, participantIds: [] };
  const participantIds = await deps.prisma.$transaction(
    async (tx) => {
      const ids: string[] = [];
      for (const row of plan.rows) {
        const created = await enrollInTransaction(tx, {
          organizationId: input.organizationId,
          actor: input.actor,
          programId: input.programId,
          name: nameSchema.parse(row.name),
          email: row.email || undefined,
          phone: (row.phone && toE164(row.phone)) || undefined,
          // Agreement recorded on the clinic's intake form, as the file says; otherwise nothing is texted.
          ...(row.phone && CONSENT_WORDS[row.smsConsent.toLowerCase()] ? { smsConsent: true, smsConsentSource: 'intake_form', now: input.now } : {}),
          identities: Object.entries(row.ids).map(([platform, externalId]) => ({ platform: platform as Platform, externalId: externalId.trim() })),
          enrolledAt: row.enrolledOn ? DateTime.fromISO(row.enrolledOn, { zone: input.timezone }).toJSDate() : undefined,
        });
        ids.push(created.id);
      }
      await writeAudit(tx, { organizationId: input.organizationId, actor: input.actor, action: 'participant.import', entityType: 'Program', entityId: input.programId, data: { participants: ids.length } });
      return ids;
    },
    { timeout: 30_000 },
  );
  return { plan, participantIds };
}
