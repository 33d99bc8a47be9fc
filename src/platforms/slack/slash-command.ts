import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { writeAudit } from '../../services/audit.js';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import { readTodayRoster } from '../../services/today-roster.js';
import { escapeMrkdwn } from './blocks.js';
import { forgetSessionLookups } from '../../services/presence/session-lookup.js';

export interface SlashCommandDeps {
  prisma: Db;
  clock: Clock;
  log: Logger;
  evaluator: SessionEvaluator;
  /** The clinic of the delivery's workspace (or enterprise); null: not installed, nothing is done. */
  organizationFor(teamId?: string, enterpriseId?: string): Promise<string | null>;
}

const HELP = [
  '*/rollcall today*: the live roster of today\'s sessions of the program this channel serves.',
  '*/rollcall link <zoom meeting id>*: use that Zoom meeting for this channel\'s program from now on.',
  '*/rollcall help*: this message.',
].join('\n');

/** `/rollcall` for staff; every answer is ephemeral (only the person who asked sees it). */
export function registerSlashCommand(app: App, deps: SlashCommandDeps): void {
  const { prisma, clock, log } = deps;
  // The answer is the acknowledgement itself (it is quick to compute), so it needs no response_url.
  app.command('/rollcall', async ({ ack, command }) => {
    const respond = (answer: { response_type: 'ephemeral'; text: string }) => ack(answer);
    const [verb = 'help', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    const organizationId = await deps.organizationFor(command.team_id, command.enterprise_id);
    if (!organizationId) return void (await respond({ response_type: 'ephemeral', text: 'Rollcall is not installed in this workspace.' }));
    const program = await prisma.program.findFirst({ where: { organizationId, alertChannelId: command.channel_id } });
    if (verb === 'today') {
      const roster = await readTodayRoster(deps, organizationId, command.channel_id);
      if (roster.length === 0) return void (await respond({ response_type: 'ephemeral', text: 'No sessions today for a program that uses this channel.' }));
      const text = roster
        .map((s) => [`*${escapeMrkdwn(s.label)}*`, ...s.rows.map((r) => `• ${escapeMrkdwn(r.label)}: ${r.status.replace('_', ' ')}, ${r.minutesPresent} min${r.flags.length ? ` (${r.flags.join(', ')})` : ''}`)].join('\n'))
        .join('\n\n');
      return void (await respond({ response_type: 'ephemeral', text }));
    }
    if (verb === 'link') {
      const meetingId = rest.join('').replace(/[\s-]/g, '');
      if (!program) return void (await respond({ response_type: 'ephemeral', text: 'No program posts its alerts to this channel yet.' }));
      if (!program.staffUserIds.includes(command.user_id)) {
        return void (await respond({ response_type: 'ephemeral', text: "Sorry, only this program's facilitators can change its meeting." }));
      }
      if (!/^\d{9,12}$/.test(meetingId)) return void (await respond({ response_type: 'ephemeral', text: 'Give the Zoom meeting id, e.g. `/rollcall link 850 1234 5678`.' }));
      const now = clock.now();
      const changed = await prisma.$transaction(async (tx) => {
        await tx.schedule.updateMany({ where: { organizationId, programId: program.id }, data: { meetingPlatform: 'zoom', meetingId } });
        const sessions = await tx.session.updateMany({ where: { organizationId, programId: program.id, startsAt: { gt: now } }, data: { meetingPlatform: 'zoom', meetingId } });
        await writeAudit(tx, { organizationId, actor: `slack:${command.user_id}`, action: 'program.link_meeting', entityType: 'Program', entityId: program.id, data: { meetingId, sessions: sessions.count } });
        return sessions.count;
      });
      forgetSessionLookups();
      log.info({ programId: program.id, sessions: changed }, 'meeting linked from slack');
      return void (await respond({ response_type: 'ephemeral', text: `Linked: ${changed} upcoming session${changed === 1 ? '' : 's'} of ${escapeMrkdwn(program.name)} now use Zoom meeting ${meetingId}.` }));
    }
    await respond({ response_type: 'ephemeral', text: HELP });
  });
}
