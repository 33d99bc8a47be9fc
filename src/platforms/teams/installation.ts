import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { TeamsConversationStore } from './conversation-store.js';

const WELCOME =
  "Hi, I'm Rollcall. I post attendance alerts for your group sessions here once a program is linked to this conversation: a program's facilitator writes `link <program name>` (mentioning me in a channel).";

const includesBot = (context: TurnContext, members: { id: string }[] | undefined) => (members ?? []).some((m) => m.id === context.activity.recipient?.id);

/**
 * The bot added to (or removed from) a team, a channel's team, a group or meeting chat, or a
 * personal chat: the tenant's clinic is found or founded (conversation-store.ts `install`) and the
 * conversation reference stored, or deleted. Teams sends both
 * installationUpdate and conversationUpdate for most of these; both are idempotent.
 */
export function registerInstallation(app: Application, deps: { conversations: TeamsConversationStore; log: Logger }): void {
  const { conversations, log } = deps;
  const added = async (context: TurnContext, welcome: boolean) => {
    const stored = await conversations.install(context.activity);
    if (!stored) return;
    log.info({ tenantId: stored.key.tenantId, conversationType: stored.key.conversationType }, 'teams conversation stored');
    // Staff channels and group chats get a word on linking; a meeting's chat (patients read it) gets nothing.
    const meetingChat = /^19:meeting_/i.test(stored.key.conversationId);
    if (welcome && stored.key.conversationType !== 'personal' && !meetingChat) await context.sendActivity(WELCOME);
  };

  app.activity('installationUpdate', async (context) => {
    const action = String(context.activity.action ?? '');
    if (action.startsWith('remove')) await conversations.forget(context.activity);
    else await added(context, false);
  });
  app.conversationUpdate('membersAdded', async (context) => {
    if (includesBot(context, context.activity.membersAdded)) await added(context, true);
  });
  app.conversationUpdate('membersRemoved', async (context) => {
    if (includesBot(context, context.activity.membersRemoved)) await conversations.forget(context.activity);
  });
  for (const event of ['teamDeleted', 'teamHardDeleted'] as const) {
    app.conversationUpdate(event, async (context) => void (await conversations.forget(context.activity)));
  }
}
