import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Platform } from '../core/presence-event.js';

/**
 * The participant page's vocabulary: stored codes (absence categories, follow-up kinds, identity
 * kinds, consent sources) in the words clinic staff use. Pure, so pages and the audit sentences agree.
 */

export const CATEGORY_WORDS: Record<string, string> = {
  technical: 'technical trouble',
  illness: 'illness',
  family_emergency: 'family or personal emergency',
  work_school: 'work or school',
  transport: 'transport',
  other: 'another reason',
};

export const categoryWords = (category: string): string => CATEGORY_WORDS[category] ?? 'another reason';

/** "a check-in": a follow-up kind as something proposed. */
const FOLLOW_UP_A: Record<string, string> = {
  outreach: 'outreach',
  checkin: 'a check-in',
  formal_review: 'a formal review',
  discharge_review: 'a discharge review',
  contact_request: 'a request to be contacted',
};

/** "the check-in": a follow-up kind as something acted on. */
const FOLLOW_UP_THE: Record<string, string> = {
  outreach: 'the outreach',
  checkin: 'the check-in',
  formal_review: 'the formal review',
  discharge_review: 'the discharge review',
  contact_request: 'the request to be contacted',
};

/** "Check-in": a follow-up kind as a title. */
const FOLLOW_UP_TITLE: Record<string, string> = {
  outreach: 'Outreach',
  checkin: 'Check-in',
  formal_review: 'Formal review',
  discharge_review: 'Discharge review',
  contact_request: 'Asked to be contacted',
};

export const followUpA = (kind: string | undefined): string => (kind && FOLLOW_UP_A[kind]) || 'a follow-up';
export const followUpThe = (kind: string | undefined): string => (kind && FOLLOW_UP_THE[kind]) || 'the follow-up';
export const followUpTitle = (kind: string): string => FOLLOW_UP_TITLE[kind] ?? 'Follow-up';

export const PLATFORM_WORDS: Record<Platform, string> = { zoom: 'Zoom', teams: 'Microsoft Teams', slack: 'Slack', sms: 'text message' };

/** The identity kinds staff may add, per platform, with their labels: `account` is the platform's own account id. */
export const IDENTITY_KIND_CHOICES = [
  { value: 'account', label: 'Account id' },
  { value: 'email', label: 'Email address' },
  { value: 'alias', label: 'Name they join with' },
  { value: 'registrant_id', label: 'Zoom registration id' },
  { value: 'customer_key', label: 'Zoom customer key' },
] as const;

const IDENTITY_KIND_WORDS: Record<string, string> = {
  user_id: 'account id',
  aad_object_id: 'account id (Entra object id)',
  email: 'email address',
  alias: 'name they join with',
  registrant_id: 'registration id',
  customer_key: 'customer key',
};

/** "Zoom email address", "Microsoft Teams account id (Entra object id)". */
export function identityWords(platform: string, kind: string): string {
  return `${PLATFORM_WORDS[platform as Platform] ?? platform} ${IDENTITY_KIND_WORDS[kind] ?? 'id'}`;
}

/** How SMS consent last changed, as the end of a sentence. */
const CONSENT_SOURCE_WORDS: Record<string, string> = {
  intake_form: '(intake form)',
  staff: '(recorded by staff)',
  participant_texted: '(they texted the clinic first)',
  stop_keyword: 'by replying STOP',
  start_keyword: 'by replying START',
};

export const consentSourceWords = (source: string | null | undefined): string => (source && CONSENT_SOURCE_WORDS[source]) || '';

/** +14155550123 → "+1 415 555 0123"; anything unparseable as stored. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

export interface LadderStep {
  strikes: number;
  action: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * "2 strikes in the last 30 days — a check-in at 2, a formal review at 3": the count, the step of the
 * program's ladder it has reached and the next one (or only the next, before the first step).
 */
export function strikeSentence(strikes: number, windowDays: number, ladder: readonly LadderStep[]): string {
  const count = strikes === 0 ? 'No strikes' : plural(strikes, 'strike', 'strikes');
  const reached = [...ladder].reverse().find((step) => step.strikes <= strikes);
  const next = ladder.find((step) => step.strikes > strikes);
  const steps = [reached, next].filter((s): s is LadderStep => s !== undefined).map((s) => `${followUpA(s.action)} at ${s.strikes}`);
  const where = steps.length === 0 ? '' : ` — ${steps.join(', ')}`;
  const last = reached && !next ? ' (the last step)' : '';
  return `${count} in the last ${plural(windowDays, 'day', 'days')}${where}${last}`;
}
