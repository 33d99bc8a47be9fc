/**
 * The group `npm run demo` plays: who is expected, and what Zoom sends about them, at minutes from
 * the scheduled start. Fixture names are the saved real deliveries in test/fixtures/zoom.
 */
export interface DemoPerson {
  name: string;
  email?: string;
  /** A Zoom registration id, enrolled as the person's registrant_id identity. */
  registrantId?: string;
}

export interface DemoEvent {
  /** Minutes after the scheduled start (fractions allowed). */
  at: number;
  fixture: 'meeting-started' | 'meeting-ended' | 'participant-joined' | 'participant-joined-registrant' | 'participant-joined-guest-no-email'
    | 'participant-left' | 'participant-left-connection-lost' | 'participant-joined-waiting-room' | 'participant-admitted';
  /** A device in the meeting: one Zoom participant_uuid per key. */
  device?: string;
  /** What the console says about it. */
  says: string;
}

export const SESSION_MINUTES = 60;

export const PROGRAM = {
  name: 'Adult IOP – Evening',
  timezone: 'America/New_York',
  alertChannel: { platform: 'slack', channelId: 'C-DEMO-STAFF' },
  // DESIGN.md's defaults, spelled out so the header can show them.
  policy: { lateAfterMinutes: 5, noShowAfterMinutes: 15, leftEarlyMinutes: 10, waitingRoomAlertMinutes: 2, rejoinWindowMinutes: 5, minAttendancePercent: 75 },
} as const;

/** Expected people; Casey has no email and is recognized by display name alone. */
export const PEOPLE: DemoPerson[] = [
  { name: 'Jordan Alvarez', registrantId: 'demo-registrant-jordan' },
  { name: 'Sam Lee', email: 'sam.lee@example.org' },
  { name: 'Alex Kim', email: 'alex.kim@example.org' },
  { name: 'Casey Nguyen' },
  { name: 'Riley Chen', email: 'riley.chen@example.org' },
  { name: 'Morgan Patel', email: 'morgan.patel@example.org' },
];

/** Zoom's devices: who is behind each participant_uuid, as the meeting shows them. */
export const DEVICES: Record<string, { user_name: string; email?: string; registrant_id?: string }> = {
  jordan: { user_name: "Jordan's iPad", registrant_id: 'demo-registrant-jordan' },
  sam: { user_name: 'Sam L', email: 'sam.lee@example.org' },
  casey: { user_name: 'Casey Nguyen' },
  riley: { user_name: 'Riley Chen', email: 'riley.chen@example.org' },
  'riley-again': { user_name: 'Riley Chen', email: 'riley.chen@example.org' },
  morgan: { user_name: 'Morgan Patel', email: 'morgan.patel@example.org' },
  stranger: { user_name: 'Galaxy S23' },
};

export const EVENTS: DemoEvent[] = [
  { at: 0, fixture: 'meeting-started', says: 'host starts the meeting' },
  { at: 0.5, fixture: 'participant-joined-registrant', device: 'jordan', says: "Jordan joins on time as \"Jordan's iPad\" (matched by registration)" },
  { at: 1, fixture: 'participant-joined-waiting-room', device: 'morgan', says: 'Morgan lands in the waiting room' },
  { at: 1.5, fixture: 'participant-joined', device: 'casey', says: 'Casey joins (no email, display name only)' },
  { at: 2, fixture: 'participant-joined', device: 'riley', says: 'Riley joins' },
  { at: 4, fixture: 'participant-joined-guest-no-email', device: 'stranger', says: '"Galaxy S23" joins (nobody we know)' },
  { at: 5, fixture: 'participant-admitted', device: 'morgan', says: 'host admits Morgan' },
  { at: 5, fixture: 'participant-joined', device: 'morgan', says: 'Morgan joins' },
  { at: 7, fixture: 'participant-joined', device: 'sam', says: 'Sam joins, 7 min late (matched by email)' },
  { at: 20, fixture: 'participant-left-connection-lost', device: 'riley', says: 'Riley drops: network connection error' },
  { at: 23, fixture: 'participant-joined', device: 'riley-again', says: 'Riley is back (new device id)' },
  { at: 35, fixture: 'participant-left', device: 'casey', says: 'Casey leaves for good' },
  ...['jordan', 'sam', 'riley-again', 'morgan', 'stranger'].map((device) => ({
    at: SESSION_MINUTES - 0.5,
    fixture: 'participant-left' as const,
    device,
    says: `${DEVICES[device]!.user_name} leaves as the group wraps up`,
  })),
  { at: SESSION_MINUTES - 0.5, fixture: 'meeting-ended', says: 'host ends the meeting' },
];
