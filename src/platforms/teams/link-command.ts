import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { writeAudit } from '../../services/audit.js';
import type { TeamsConversationKey } from './conversation-store.js';

const HELP = 'Rollcall: write `link <program name>` here (as one of the program\'s facilitators) to have that program\'s attendance alerts posted in this conversation.';

/**
 * Staff commands in a channel or group chat. `link <program>` points the program's alerts here;
 * only the program's staff (AAD object ids in staffUserIds) may, and it is audited.
 */
export async function handleStaffCommand(context: TurnContext, deps: { prisma: Db; log: Logger }, organizationId: string, key: TeamsConversationKey): Promise<void> {
  const { prisma, log } = deps;
  const text = (context.activity.text ?? '').replace(/<[^>]+>/g, ' ').trim();
  const link = /^link\s+(.+)$/i.exec(text);
  if (!link) {
    if (/^help$/i.test(text)) await context.sendActivity(HELP);
    return;
  }
  const name = link[1]!.trim();
  const program = await prisma.program.findFirst({ where: { organizationId, name: { equals: name, mode: 'insensitive' } } });
  const actorId = context.activity.from?.aadObjectId;
  if (!program) return void (await context.sendActivity('No program has that name. Check the spelling in the admin dashboard.'));
  if (!actorId || !program.staffUserIds.includes(actorId)) {
    return void (await context.sendActivity("Sorry, only this program's facilitators can link it to a conversation."));
  }
  await prisma.$transaction(async (tx) => {
    await tx.program.update({ where: { id: program.id }, data: { alertPlatform: 'teams', alertChannelId: key.conversationId } });
    await writeAudit(tx, {
      organizationId,
      actor: `teams:${actorId}`,
      action: 'program.link_channel',
      entityType: 'Program',
      entityId: program.id,
      data: { platform: 'teams', channelId: key.conversationId, previous: { platform: program.alertPlatform, channelId: program.alertChannelId } },
    });
  });
  log.info({ programId: program.id, conversationType: key.conversationType }, 'program linked to a teams conversation');
  await context.sendActivity(`Linked: attendance alerts for ${program.name} will be posted here.`);
}
