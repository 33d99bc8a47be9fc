import { randomUUID } from 'node:crypto';
import type { AlertMessage } from '../../core/alert-message.js';
import type { ChannelRef, Notifier } from '../../services/notifier.js';

/**
 * The chat stand-in for a machine with no chat platform configured, and for the demo: prints each
 * alert as a staff channel would show it. This is the channel, not the log, so it carries the
 * display label the program's policy allows.
 */
export function createConsoleNotifier(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Notifier {
  const render = (verb: string, channel: ChannelRef, message: AlertMessage) =>
    `[${channel.platform}:${channel.channelId}] ${verb} ${message.severity === 'urgent' ? '!! ' : ''}${message.text}`;
  return {
    async post(channel, message) {
      write(render('ALERT ', channel, message));
      return { messageId: randomUUID() };
    },
    async update(channel, _messageId, message) {
      write(render('UPDATE', channel, message));
    },
  };
}
