import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { isPrismaError } from '../../db/prisma-errors.js';
import { writeAudit } from '../../services/audit.js';
import { placeInstall } from '../../services/installs/place-install.js';

export type TeamsConversationType = 'personal' | 'channel' | 'groupChat';

/** Where an activity came from, as we key it: a channel's posts arrive as `<channel id>;messageid=<post>`. */
export interface TeamsConversationKey {
  tenantId: string;
  conversationId: string;
  conversationType: TeamsConversationType;
  teamId?: string;
  /** The AAD object id of the person in a personal chat. */
  userId?: string;
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string };
  channel?: { id?: string };
}

/** What an install activity calls the tenant: Teams sends no tenant name, so the team's, when it is a team. */
export const tenantNameOf = (activity: Partial<Activity>) => ((activity.channelData ?? {}) as TeamsChannelData).team?.name?.trim() || 'Teams tenant';

export function conversationKeyOf(activity: Partial<Activity>): TeamsConversationKey | null {
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const tenantId = channelData.tenant?.id ?? activity.conversation?.tenantId;
  const rawId = activity.conversation?.id;
  if (!tenantId || !rawId) return null;
  const type = activity.conversation?.conversationType;
  const conversationType: TeamsConversationType = type === 'personal' ? 'personal' : type === 'channel' ? 'channel' : 'groupChat';
  const conversationId = conversationType === 'channel' ? (channelData.channel?.id ?? rawId.split(';')[0]!) : rawId;
  return {
    tenantId,
    conversationId,
    conversationType,
    ...(channelData.team?.id ? { teamId: channelData.team.id } : {}),
    ...(conversationType === 'personal' && activity.from?.aadObjectId ? { userId: activity.from.aadObjectId } : {}),
  };
}

/**
 * The address to write to later: the Bot Framework reference, minus the person and message that
 * happened to bring it (a channel reference must not carry who spoke first).
 */
export function storedReferenceOf(activity: Partial<Activity>, key: TeamsConversationKey): Partial<ConversationReference> {
  const reference = TurnContext.getConversationReference(activity);
  return {
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    bot: reference.bot,
    conversation: { id: key.conversationId, conversationType: key.conversationType, tenantId: key.tenantId, isGroup: key.conversationType !== 'personal', name: '' },
    ...(key.conversationType === 'personal' && reference.user ? { user: { id: reference.user.id, name: '', aadObjectId: key.userId } } : {}),
  };
}

export interface TeamsConversationStoreDeps {
  prisma: Db;
  log: Logger;
  /** The deployment's first clinic: the home tenant's (MICROSOFT_APP_TENANT_ID), as a single-clinic deployment's. */
  homeOrganizationId: string;
  homeTenantId?: string;
}

/**
 * Teams conversations and installations in PostgreSQL (ChatConversation, Installation rows). A
 * tenant's clinic is its Installation row's, made by its first install activity (placeInstall: a
 * new clinic per tenant); the deployment's home tenant belongs to the first clinic. An activity from
 * a tenant that never installed is ignored: it can never reach another clinic's rows.
 */
export function createTeamsConversationStore(deps: TeamsConversationStoreDeps) {
  const { prisma, log } = deps;

  async function organizationFor(tenantId: string): Promise<string | null> {
    const row = await prisma.installation.findUnique({ where: { platform_externalId: { platform: 'teams', externalId: tenantId } }, select: { organizationId: true } });
    return row?.organizationId ?? (tenantId === deps.homeTenantId ? deps.homeOrganizationId : null);
  }

  async function belongsToAnotherTenant(key: TeamsConversationKey): Promise<boolean> {
    const other = { platform: 'teams' as const, tenantId: { not: key.tenantId } };
    if (await prisma.chatConversation.findFirst({ where: { ...other, conversationId: key.conversationId }, select: { id: true } })) return true;
    // Check-ins go to a person's latest personal chat: another tenant must not add a newer one.
    if (!key.userId) return false;
    return Boolean(await prisma.chatConversation.findFirst({ where: { ...other, conversationType: 'personal', userId: key.userId }, select: { id: true } }));
  }

  const store = {
    organizationFor,

    /**
     * The app added somewhere in a tenant (installationUpdate, or the bot among membersAdded): the
     * tenant's clinic is found or founded, then the conversation remembered. Whoever's install
     * founds the clinic is its installer (`installedBy`, the clinic's owner once they sign in);
     * later installs by others in the tenant change nothing of that.
     */
    async install(activity: Partial<Activity>): Promise<{ organizationId: string; key: TeamsConversationKey } | null> {
      const key = conversationKeyOf(activity);
      if (!key) return null;
      if (await belongsToAnotherTenant(key)) return store.remember(activity);
      const installedBy = activity.from?.aadObjectId ?? null;
      const name = tenantNameOf(activity);
      const home = key.tenantId === deps.homeTenantId;
      const placement = await placeInstall(prisma, { platform: 'teams', externalId: key.tenantId, displayName: name, connectTo: home ? deps.homeOrganizationId : null }, async (tx, organizationId) => {
        await tx.installation.upsert({
          where: { platform_externalId: { platform: 'teams', externalId: key.tenantId } },
          create: { organizationId, platform: 'teams', externalId: key.tenantId, data: { installedBy, name } },
          update: {},
        });
      });
      if ('refused' in placement) {
        log.warn({ tenantId: key.tenantId, reason: placement.refused }, 'teams install not placed');
        return null;
      }
      if (placement.outcome !== 'reinstalled') {
        await writeAudit(prisma, { organizationId: placement.organizationId, actor: installedBy ? `teams:${installedBy}` : 'teams:installer', action: `installation.${placement.outcome}`, entityType: 'Installation', entityId: key.tenantId, data: { platform: 'teams' } });
        log.info({ tenantId: key.tenantId, organizationId: placement.organizationId, outcome: placement.outcome }, 'teams tenant installed');
      }
      return store.remember(activity);
    },

    /**
     * Remembers a conversation the bot is in (idempotent; the latest serviceUrl wins). A conversation
     * stored for one tenant is never re-pointed by an activity from another (nor a person's personal
     * chat): that is how a stranger would redirect a channel's alerts. Such an activity is ignored.
     */
    async remember(activity: Partial<Activity>): Promise<{ organizationId: string; key: TeamsConversationKey } | null> {
      const key = conversationKeyOf(activity);
      if (!key) return null;
      if (await belongsToAnotherTenant(key)) {
        log.warn({ tenantId: key.tenantId, conversationType: key.conversationType }, 'teams activity names a conversation or person stored for another tenant: ignored');
        return null;
      }
      const organizationId = await organizationFor(key.tenantId);
      if (!organizationId) {
        log.warn({ tenantId: key.tenantId, conversationType: key.conversationType }, 'teams activity from a tenant that never installed: ignored');
        return null;
      }
      const reference = storedReferenceOf(activity, key) as object;
      const data = { organizationId, tenantId: key.tenantId, conversationType: key.conversationType, teamId: key.teamId ?? null, userId: key.userId ?? null, reference };
      // The update names the tenant, so a row another tenant created in between is left alone.
      const sameTenant = { platform: 'teams' as const, conversationId: key.conversationId, tenantId: key.tenantId };
      if ((await prisma.chatConversation.updateMany({ where: sameTenant, data })).count === 0) {
        try {
          await prisma.chatConversation.create({ data: { platform: 'teams', conversationId: key.conversationId, ...data } });
        } catch (error) {
          if (!isPrismaError(error, 'P2002')) throw error;
          if ((await prisma.chatConversation.updateMany({ where: sameTenant, data })).count === 0) return null;
        }
      }
      return { organizationId, key };
    },

    /** The app was removed: from a team (all its channels go), a group chat or a personal chat. */
    async forget(activity: Partial<Activity>): Promise<number> {
      const key = conversationKeyOf(activity);
      if (!key) return 0;
      // Only the tenant's own conversations: another tenant's activity cannot remove a clinic's channel.
      const { count } = await prisma.chatConversation.deleteMany({
        where: { platform: 'teams', tenantId: key.tenantId, OR: [{ conversationId: key.conversationId }, ...(key.teamId ? [{ teamId: key.teamId }] : [])] },
      });
      log.info({ tenantId: key.tenantId, conversationType: key.conversationType, removed: count }, 'teams conversation references removed');
      return count;
    },

    async reference(organizationId: string, conversationId: string): Promise<Partial<ConversationReference> | null> {
      const row = await prisma.chatConversation.findFirst({ where: { organizationId, platform: 'teams', conversationId } });
      return (row?.reference as Partial<ConversationReference> | undefined) ?? null;
    },

    async personalReference(organizationId: string, aadObjectId: string): Promise<Partial<ConversationReference> | null> {
      const row = await prisma.chatConversation.findFirst({
        where: { organizationId, platform: 'teams', conversationType: 'personal', userId: aadObjectId },
        orderBy: { updatedAt: 'desc' },
      });
      return (row?.reference as Partial<ConversationReference> | undefined) ?? null;
    },
  };
  return store;
}

export type TeamsConversationStore = ReturnType<typeof createTeamsConversationStore>;
