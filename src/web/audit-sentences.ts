import { categoryWords, consentSourceWords, followUpA, followUpThe, identityWords, PLATFORM_WORDS } from './participant-words.js';
import { statusText } from './status-style.js';

/**
 * Audit entries as sentences for clinic staff ("Dana Lee excused the absence on Mon 9 Nov",
 * "Rollcall proposed a check-in"). Pure: the caller resolves who the actor is and hands in lookups
 * for the sessions, programs and follow-ups an entry names. Every action code the code base
 * writes has a sentence here (test/unit/web/audit-sentences.test.ts scans src/ for them).
 */

export interface AuditLookups {
  /** A session's local day, "Mon 9 Nov". */
  sessionDay(sessionId: string): string | undefined;
  programName(programId: string): string | undefined;
  followUpKind(followUpId: string): string | undefined;
  /** An ISO instant as the page's day, "Mon 9 Nov". */
  day(iso: string): string | undefined;
}

export interface AuditEntryFacts {
  action: string;
  entityId: string;
  data: unknown;
}

interface Reader {
  who: string;
  entityId: string;
  str(key: string): string | undefined;
  num(key: string): number | undefined;
  list(key: string): string[];
  bool(key: string): boolean | undefined;
  /** The local day of the session under `key` ("Mon 9 Nov"). */
  sessionDay(key?: string): string | undefined;
  /** " on Mon 9 Nov" for the session under `key`, or "" when unknown. */
  onSession(key?: string): string;
  /** " in Adult IOP" for the program under `key`, or "". */
  inProgram(preposition: string, key?: string): string;
  followUp(article: 'a' | 'the', kindKey?: string): string;
}

type Sentence = (r: Reader) => string;

const platformWords = (r: Reader) => PLATFORM_WORDS[r.str('platform') as keyof typeof PLATFORM_WORDS] ?? 'a chat platform';
const FIELD_WORDS: Record<string, string> = { name: 'name', email: 'email', timezone: 'time zone', phone: 'phone number' };
const listWords = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
const ruleWords = (rule: string | undefined) => {
  const strikes = /^ladder:(\d+)$/.exec(rule ?? '')?.[1];
  if (strikes) return ` (${strikes} ${strikes === '1' ? 'strike' : 'strikes'})`;
  return rule === 'dropout' ? ' (missed sessions in a row with no contact)' : '';
};

const SENTENCES: Record<string, Sentence> = {
  // Absences and attendance
  'absence.report': (r) => `${r.who} reported an absence${r.sessionDay() ? ` for ${r.sessionDay()}` : ''} (${categoryWords(r.str('category') ?? 'other')}${r.bool('excused') ? ', excused' : ''})`,
  'absence.report_after': (r) => `${r.who} said why they missed the session${r.onSession()} (${categoryWords(r.str('category') ?? 'other')})`,
  'attendance.excuse': (r) => `${r.who} excused the absence${r.onSession()}`,
  'attendance.override': (r) => `${r.who} changed the record${r.onSession()} to ${statusText(r.str('decided') ?? r.str('status') ?? 'present')}`,
  'attendance.override_cleared': (r) => `${r.who} undid the staff decision${r.onSession()}`,
  'checkin.asked_for_contact': (r) => `${r.who} asked for someone from the care team to get in touch`,
  'checkin.okay': (r) => `${r.who} answered the check-in: doing okay`,
  'enrollment.policy_acknowledged': (r) => `${r.who} acknowledged the attendance policy${r.inProgram(' of')}`,
  // Follow-ups
  'follow_up.propose': (r) => `${r.who} proposed ${r.followUp('a', 'kind')}${ruleWords(r.str('rule'))}`,
  'follow_up.superseded_on_import': (r) => `${r.who} set aside ${r.followUp('a', 'kind')}: an imported record had already gone past it`,
  'follow_up.no_longer_applies': (r) => `${r.who} withdrew ${r.followUp('the')}: it no longer applies`,
  'follow_up.assign': (r) => `${r.who} assigned ${r.followUp('the')}`,
  'follow_up.complete': (r) => `${r.who} marked ${r.followUp('the')} done`,
  'follow_up.done': (r) => `${r.who} marked ${r.followUp('the')} done`,
  'follow_up.dismiss': (r) => `${r.who} dismissed ${r.followUp('the')}`,
  'follow_up.dismissed': (r) => `${r.who} dismissed ${r.followUp('the')}`,
  'follow_up.open': (r) => `${r.who} reopened ${r.followUp('the')}`,
  'follow_up.update': (r) => (r.list('fields').includes('note') ? `${r.who} added a note to ${r.followUp('the')}` : `${r.who} updated ${r.followUp('the')}`),
  'followup.requested_by_participant': (r) => `${r.who} asked to be contacted after missing the session${r.onSession()}`,
  'alert.offer_makeup': (r) => `${r.who} offered them a make-up session`,
  'alert.send_checkin': (r) => `${r.who} sent them a check-in message`,
  'alert.reach_out': (r) => `${r.who} took on reaching out to them`,
  'makeup.book': (r) => `${r.who} booked a make-up for the session${r.onSession('missedSessionId')}`,
  'makeup.attended': (r) => `${r.who} recorded the make-up for the session${r.onSession('missedSessionId')} as attended`,
  'makeup.missed': (r) => `${r.who} recorded the make-up for the session${r.onSession('missedSessionId')} as missed`,
  'material.offer': (r) => `${r.who} offered them a recording or material`,
  // The participant's record
  'participant.enroll': (r) => `${r.who} enrolled them${r.inProgram(' in')}`,
  'participant.update': (r) => `${r.who} changed their ${listWords(r.list('fields').map((f) => FIELD_WORDS[f] ?? 'details')) || 'details'}`,
  'participant.discharge': (r) => `${r.who} discharged them${r.inProgram(' from')}`,
  'participant.import': (r) => `${r.who} imported ${r.num('participants') ?? 'some'} participants${r.inProgram(' into', '$entity')}`,
  'participant.phone': (r) => (r.bool('set') === false ? `${r.who} removed their phone number` : `${r.who} changed their phone number`),
  'participant.sms_consent': (r) => {
    const source = r.str('source');
    if (source === 'participant_texted' || source === 'start_keyword') return `${r.who} agreed to texts ${consentSourceWords(source)}`;
    return `${r.who} recorded that they agreed to texts${source === 'intake_form' ? ' (intake form)' : ''}`;
  },
  'participant.sms_opt_out': (r) =>
    r.str('source') === 'stop_keyword' ? `${r.who} stopped texts by replying STOP` : `${r.who} recorded that they no longer agree to texts`,
  'participant.note_add': (r) => `${r.who} added a note`,
  'identity.add': (r) => `${r.who} added their ${identityWords(r.str('platform') ?? '', r.str('kind') ?? '')}`,
  'identity.remove': (r) => `${r.who} removed their ${identityWords(r.str('platform') ?? '', r.str('kind') ?? '')}`,
  'identity.link': (r) => `${r.who} recognized them in the session${r.onSession()} and learned how they join`,
  // Sessions, schedules, programs
  'session.create': (r) => `${r.who} added a session${r.inProgram(' to')}`,
  'session.cancel': (r) => `${r.who} cancelled the session${r.str('startsAt') ? ` of ${r.str('day:startsAt')}` : ''}${r.inProgram(' of')}`,
  'session.reconcile': (r) => `${r.who} merged the platform's attendance report into the session${r.onSession('$entity')}`,
  'session.import_report': (r) => `${r.who} imported an attendance report for the session${r.onSession('$entity')}`,
  'session.learn_meeting_id': (r) => `${r.who} learned the Teams meeting of the session${r.onSession('$entity')}`,
  'schedule.create': (r) => `${r.who} added a schedule${r.inProgram(' to')}`,
  'program.create': (r) => `${r.who} added the program${r.inProgram('', '$entity')}`,
  'program.update': (r) => `${r.who} changed the settings of${r.inProgram('', '$entity') || ' a program'}`,
  'program.link_channel': (r) => `${r.who} linked a chat channel to${r.inProgram('', '$entity') || ' a program'}`,
  'program.link_meeting': (r) => `${r.who} linked a meeting to${r.inProgram('', '$entity') || ' a program'}`,
  'material.create': (r) => `${r.who} added a recording or material${r.inProgram(' to')}`,
  'material.delete': (r) => `${r.who} removed a recording or material${r.inProgram(' from')}`,
  'material.recording_stored': (r) => `${r.who} kept the recording of the session${r.onSession()}`,
  // The clinic, its connections and staff
  'organization.update': (r) => `${r.who} changed the clinic's settings`,
  'organization.export': (r) => `${r.who} downloaded the clinic's whole record`,
  'organization.deletion_scheduled': (r) => `${r.who} planned to delete the clinic's record: no chat platform is installed`,
  'organization.deletion_warned': (r) => `${r.who} warned that the clinic's record will be deleted${r.num('days') !== undefined ? ` in ${r.num('days')} days` : ''}`,
  'organization.deletion_cancelled': (r) => `${r.who} cancelled the planned deletion of the clinic's record`,
  'installation.created': (r) => `${r.who} installed Rollcall in ${platformWords(r)} for a new clinic`,
  'installation.connected': (r) => `${r.who} connected ${platformWords(r)} to the clinic`,
  'installation.reinstalled': (r) => `${r.who} installed Rollcall in ${platformWords(r)} again`,
  'installation.moved': (r) => `${r.who} moved the ${platformWords(r)} connection to another clinic`,
  'installation.connect_started': (r) => `${r.who} started connecting ${platformWords(r)}`,
  'zoom.install': (r) => `${r.who} installed Rollcall in Zoom`,
  'zoom.install_refused': (r) => `${r.who} tried to install Rollcall in Zoom; it was refused`,
  'zoom.deauthorize': (r) => `${r.who} removed Rollcall from Zoom`,
  'api_token.create': (r) => `${r.who} created an API token`,
  'api_token.revoke': (r) => `${r.who} revoked an API token`,
  'dashboard.sign_in': (r) => `${r.who} signed in to the dashboard`,
  'dashboard.sign_out': (r) => `${r.who} signed out of the dashboard`,
  'staff.approve': (r) => `${r.who} approved a staff member`,
  'staff.decline': (r) => `${r.who} declined a request for access`,
  'staff.role': (r) => `${r.who} changed a staff member's role`,
  'staff.remove': (r) => `${r.who} removed a staff member`,
  'staff.assign': (r) => `${r.who} chose a staff member's programs`,
  'staff.owner_signed_up': (r) => `${r.who} signed up as the clinic's owner`,
  'staff.requested_access': (r) => `${r.who} asked for access to the dashboard`,
  'dead_letter.read_body': (r) => `${r.who} opened a Zoom delivery Rollcall could not read`,
};

export const DESCRIBED_ACTIONS: readonly string[] = Object.keys(SENTENCES);

export const isDescribedAction = (action: string): boolean => Object.hasOwn(SENTENCES, action);

/** One audit entry as a sentence, the actor already in words ("Dana Lee", "Rollcall", "Admin token"). */
export function describeAuditEntry(entry: AuditEntryFacts, who: string, lookups: AuditLookups): string {
  const data = (entry.data && typeof entry.data === 'object' ? entry.data : {}) as Record<string, unknown>;
  const raw = (key: string) => (key === '$entity' ? entry.entityId : data[key]);
  const str = (key: string): string | undefined => {
    if (key.startsWith('day:')) {
      const value = data[key.slice(4)];
      return typeof value === 'string' ? lookups.day(value) : undefined;
    }
    const value = raw(key);
    return typeof value === 'string' ? value : undefined;
  };
  const reader: Reader = {
    who,
    entityId: entry.entityId,
    str,
    num: (key) => (typeof data[key] === 'number' ? (data[key] as number) : undefined),
    list: (key) => (Array.isArray(data[key]) ? (data[key] as unknown[]).filter((v): v is string => typeof v === 'string') : []),
    bool: (key) => (typeof data[key] === 'boolean' ? (data[key] as boolean) : undefined),
    sessionDay: (key = 'sessionId') => {
      const id = str(key);
      return id ? lookups.sessionDay(id) : undefined;
    },
    onSession: (key = 'sessionId') => {
      const day = reader.sessionDay(key);
      return day ? ` on ${day}` : '';
    },
    inProgram: (preposition, key = 'programId') => {
      const id = str(key);
      const name = id ? lookups.programName(id) : undefined;
      return name ? `${preposition} ${name}` : '';
    },
    followUp: (article, kindKey) => {
      const kind = (kindKey ? str(kindKey) : undefined) ?? lookups.followUpKind(entry.entityId) ?? (str('followUpId') ? lookups.followUpKind(str('followUpId')!) : undefined);
      return article === 'a' ? followUpA(kind) : followUpThe(kind);
    },
  };
  const sentence = SENTENCES[entry.action];
  return sentence ? sentence(reader) : `${who} made a change to the record`;
}

const UNRESOLVED: Record<string, string> = { slack: 'Someone on Slack', teams: 'Someone on Microsoft Teams', zoom: 'Someone on Zoom', sms: 'Someone by text message' };

/**
 * An audit actor in words when the caller found no name for it: the operator's token is "Admin
 * token", the engine "Rollcall", a token by its label, a platform user by their platform.
 */
export function actorWords(actor: string, names: ReadonlyMap<string, string>): string {
  const named = names.get(actor);
  if (named) return named;
  if (actor === 'system') return 'Rollcall';
  if (actor === 'zoom:deauthorization') return 'Zoom';
  const [prefix, ...rest] = actor.split(':');
  const tail = rest.join(':');
  if (prefix === 'admin-api' || prefix === 'dashboard') {
    const label = prefix === 'dashboard' ? tail.replace(/^admin_token:/, '') : tail;
    return label === 'ADMIN_TOKEN' ? 'Admin token' : `API token “${label}”`;
  }
  if (prefix === 'staff') return 'A staff member';
  if (prefix === 'api-token') return 'An API token';
  return UNRESOLVED[prefix ?? ''] ?? 'Someone';
}
