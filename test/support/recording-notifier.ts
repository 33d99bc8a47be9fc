import type { AlertMessage } from '../../src/core/alert-message.js';
import type { ChannelRef, Notifier } from '../../src/services/notifier.js';

export interface RecordedCall {
  op: 'post' | 'update';
  channel: ChannelRef;
  messageId: string;
  message: AlertMessage;
}

/** Records every call: the outbox seen from the chat side. `failNext` makes the next calls throw. */
export function createRecordingNotifier() {
  const calls: RecordedCall[] = [];
  const failures: Error[] = [];
  let next = 1;
  const notifier: Notifier = {
    async post(channel, message) {
      const failure = failures.shift();
      if (failure) throw failure;
      const messageId = `msg-${next++}`;
      calls.push({ op: 'post', channel, messageId, message });
      return { messageId };
    },
    async update(channel, messageId, message) {
      const failure = failures.shift();
      if (failure) throw failure;
      calls.push({ op: 'update', channel, messageId, message });
    },
  };
  return { notifier, calls, failNext: (...errors: Error[]) => failures.push(...errors) };
}
