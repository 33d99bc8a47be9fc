import { DateTime } from 'luxon';
import { displayLabel } from '../core/display-name.js';
import type { NameDisplay } from '../core/policy.js';

/** How a session is named in chat: the program and its local start, e.g. "Adult IOP – Evening, Tue 1 Dec 18:00". */
export function sessionLabel(programName: string, startsAt: Date, timezone: string): string {
  return `${programName}, ${DateTime.fromJSDate(startsAt, { zone: timezone }).toFormat('ccc d LLL HH:mm')}`;
}

/** A participant as the program's policy lets chat name them. */
export function participantLabel(name: string | null | undefined, nameDisplay: NameDisplay): string {
  return name ? displayLabel(name, nameDisplay) : 'Unknown participant';
}
