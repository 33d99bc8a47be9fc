import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { OutboxDeps } from './participant-outbox.js';
import type { SessionEvaluator } from './session-evaluator.js';

/** What the care workflows (intake, reminders, progress, follow-ups, tech help, make-ups) need. */
export interface CareDeps extends OutboxDeps {
  clock: Clock;
  log: Logger;
  evaluator: SessionEvaluator;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
}
