import { DateTime } from 'luxon';

// What the platforms write in their downloads, in the zone of the account that downloaded them:
// Zoom "11/09/2026 07:00:30 AM", Teams "11/9/26, 7:00:30 AM" (or a four-digit year, or 24-hour).
const FORMATS = ['MM/dd/yyyy hh:mm:ss a', 'M/d/yyyy h:mm:ss a', 'M/d/yy, h:mm:ss a', 'M/d/yyyy, h:mm:ss a', 'M/d/yy, H:mm:ss', 'M/d/yyyy, H:mm:ss', 'M/d/yyyy H:mm:ss', 'yyyy-MM-dd HH:mm:ss'];

/** A report's local time in `zone`, or null when it is not one (an ISO time with an offset is taken as it is). */
export function parseReportTime(text: string, zone: string): Date | null {
  const value = text.trim().replace(/\u202f/g, ' ');
  if (!value) return null;
  const iso = DateTime.fromISO(value, { zone, setZone: false });
  if (iso.isValid && /\d{4}-\d\d-\d\dT/.test(value)) return iso.toJSDate();
  for (const format of FORMATS) {
    const parsed = DateTime.fromFormat(value, format, { zone, locale: 'en-US' });
    if (parsed.isValid) return parsed.toJSDate();
  }
  return null;
}

/** Both downloads' text: Teams writes UTF-16 with a byte-order mark, Zoom UTF-8 (with or without one). */
export function decodeReport(bytes: Buffer | string): string {
  if (typeof bytes === 'string') return bytes.replace(/^\uFEFF/, '');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
