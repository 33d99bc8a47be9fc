import { DateTime } from 'luxon';

/** 534 → "8 h 54 min"; 45 → "45 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export function formatPercent(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)}%`;
}

/** "Tue 1 Dec, 18:00" in the program's zone. */
export function formatSessionStart(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat('ccc d LLL, HH:mm');
}

export function formatTime(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat('HH:mm');
}

/** "2026-12-01" → "Tue 1 Dec". */
export function formatDay(isoDate: string): string {
  return DateTime.fromISO(isoDate).toFormat('ccc d LLL');
}

export function formatDateTime(at: Date, timezone = 'UTC'): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat('d LLL yyyy, HH:mm ZZZZ');
}

/** "2026-11-09" (a Monday) → "week of Mon 9 Nov": how every page names a week (never "W46"). */
export function formatWeekOf(mondayIsoDate: string): string {
  return `week of ${formatDay(mondayIsoDate)}`;
}
