/**
 * Reads an absence a participant reports in their own words ("can't make it tomorrow, my wifi is
 * out"): which local date, which of their upcoming sessions fall on it, and the reason's category.
 * Pure: the current instant and the participant's IANA zone are arguments.
 *
 * Dates are read with chrono-node against a reference `{ instant: now, timezone: <offset minutes
 * of the zone at now> }`; the calendar fields chrono returns (year, month, day) are in that offset,
 * so "tomorrow" at 23:30 in Los Angeles is the Los Angeles tomorrow even when UTC is a day ahead.
 * The fields are used rather than the resulting instant, which could slip across midnight when a
 * daylight-saving change falls between now and the date.
 */
import * as chrono from 'chrono-node';
import { DateTime, IANAZone } from 'luxon';
import { categorizeAbsenceReason, type AbsenceCategory } from './absence-category.js';

export interface UpcomingSession {
  id: string;
  startsAt: Date;
  endsAt: Date;
}

export interface AbsenceParseContext {
  now: Date;
  /** The participant's IANA zone, e.g. America/Los_Angeles. */
  timezone: string;
  upcomingSessions: UpcomingSession[];
}

/**
 * `high`: the message names a day and there is a session on it. `medium`: no day named, the
 * message says it is an absence, so the next session is meant. `low`: no session found (no day,
 * a span such as "next week", or a day without a session); the bot asks which day.
 */
export type AbsenceConfidence = 'high' | 'medium' | 'low';

export interface AbsenceReport {
  /** Local date (participant's zone), `YYYY-MM-DD`, or null when no single day could be read. */
  date: string | null;
  /** Sessions on that local date that have not ended, earliest first. */
  sessionIds: string[];
  category: AbsenceCategory;
  confidence: AbsenceConfidence;
}

// Each phrase is matched on lower-cased text with straight apostrophes; an apostrophe may be left out.
const ABSENCE_PHRASES: RegExp[] = [
  /\b(?:can'?t|cannot|can not|won'?t|will not|unable to|not able to|not going to|not gonna|couldn'?t|could not|wouldn'?t|don'?t think i(?:'?ll| will| can)|may not|might not) (?:be able to )?(?:make it|make group|make the (?:group|session|meeting|class)|make (?:today|tonight|tomorrow)|come|attend|join|be there|be at (?:group|the session|session)|be in (?:group|session)|log ?on|show up|participate)\b(?! (?:work|happen|load|open|stop)\b)/,
  /\bwon'?t be (?:there|here|in|at|attending|joining|coming|online|on)\b/,
  // ...but not "I'll miss you all", a goodbye.
  /\b(?:i'?ll|i will|i'?m going to|i'?m gonna|going to|gonna|have to|need to|got to|gotta|must|will) (?:be )?miss(?:ing)?\b(?! (?:you|u|y'?all|everyone|everybody|all of you|them|him|her)\b)/,
  /\b(?:miss|missing|skip|skipping) (?:group|the group|session|the session|today|tonight|tomorrow|class|this one|it)\b/,
  /\bnot (?:coming|attending|joining|making it|gonna make it|going to make it)\b/,
  /\b(?:absent|absence)\b/,
  /\b(?:sick|ill) (?:today|tonight|tomorrow)\b/,
  /\b(?:out sick|call(?:ing)? (?:out|in sick))\b/,
  /\bi'?m out (?:today|tonight|tomorrow)\b/,
];
// "I won't miss group" is the opposite of an absence; these spans are removed before the phrases are tried.
const NEGATED_MISS = /\b(?:won'?t|will not|don'?t|do not|didn'?t|did not|never|not going to|not gonna|wouldn'?t)(?: want to| wanna)? miss\w*(?: \w+)?/g;

function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02BC`\u00B4]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether the message reads as a report of a coming absence. Heuristic; the bot then confirms with buttons. */
export function isAbsenceReport(text: string): boolean {
  const normalized = normalize(text).replace(NEGATED_MISS, ' ');
  return ABSENCE_PHRASES.some((phrase) => phrase.test(normalized));
}

// Common spellings chrono does not read, rewritten before parsing.
const DATE_SPELLINGS: [RegExp, string][] = [
  [/\b(?:tomorow|tommorow|tommorrow|tomorrw|tmrrw|tmro|tmrw|tmr|tomm|2morrow|2moro|2morow)\b/g, 'tomorrow'],
  [/\b(?:tonite|2nite|tonigt)\b/g, 'tonight'],
  [/\b(?:2day|tdy)\b/g, 'today'],
];
// Spans, not days: "next week" would otherwise be read as a single date a week from now.
const SPAN_WORDS = /\b(?:week|weeks|weekend|month|months|year|years)\b/;

/**
 * The local date the message names, read by chrono in the participant's zone, or null. Time-only
 * mentions ("at 6", "till 8") name no day and are ignored; a span ("next week") gives null.
 */
export function readAbsenceDate(text: string, now: Date, timezone: string): { date: string | null; span: boolean } {
  const offset = zoneOffsetMinutes(now, timezone);
  let prepared = text.normalize('NFKC').replace(/[\u2018\u2019\u02BC`\u00B4]/g, "'");
  for (const [spelling, word] of DATE_SPELLINGS) prepared = prepared.replace(new RegExp(spelling.source, 'gi'), word);
  const results = chrono.parse(prepared, { instant: now, timezone: offset }, { forwardDate: true });
  for (const result of results) {
    if (SPAN_WORDS.test(result.text.toLowerCase())) return { date: null, span: true };
    // Lower-case "sat" and "sun" are the verb and the star far more often than the weekdays.
    if (/^(?:on )?(?:sat|sun)$/.test(result.text.trim())) continue;
    const start = result.start;
    if (!start.isCertain('day') && !start.isCertain('weekday') && !start.isCertain('month')) continue;
    const [year, month, day] = [start.get('year'), start.get('month'), start.get('day')];
    if (year === null || month === null || day === null) continue;
    const date = DateTime.fromObject({ year, month, day }, { zone: 'UTC' });
    if (date.isValid) return { date: date.toISODate(), span: false };
  }
  return { date: null, span: false };
}

export function parseAbsenceReport(text: string, context: AbsenceParseContext): AbsenceReport {
  const { now, timezone } = context;
  const category = categorizeAbsenceReason(text);
  const pending = context.upcomingSessions
    .filter((session) => session.endsAt.getTime() > now.getTime())
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const localDate = (at: Date) => DateTime.fromJSDate(at, { zone: timezone }).toISODate();

  const { date, span } = readAbsenceDate(text, now, timezone);
  if (date !== null) {
    const sessionIds = pending.filter((session) => localDate(session.startsAt) === date).map((session) => session.id);
    return { date, sessionIds, category, confidence: sessionIds.length > 0 ? 'high' : 'low' };
  }
  const next = pending[0];
  if (!span && next && isAbsenceReport(text)) {
    return { date: localDate(next.startsAt), sessionIds: [next.id], category, confidence: 'medium' };
  }
  return { date: null, sessionIds: [], category, confidence: 'low' };
}

/** The zone's UTC offset in minutes at `now` (e.g. -480 for Los Angeles in winter). Throws on an unknown zone. */
export function zoneOffsetMinutes(now: Date, timezone: string): number {
  if (!IANAZone.isValidZone(timezone)) throw new RangeError(`unknown IANA time zone "${timezone}"`);
  return IANAZone.create(timezone).offset(now.getTime());
}
