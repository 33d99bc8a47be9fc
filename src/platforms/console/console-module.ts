import type { PlatformModule } from '../module.js';
import { createConsoleNotifier } from './console-notifier.js';

/** The chat stand-in: prints the alerts of every platform that has no notifier of its own here. */
export const consoleModule: PlatformModule = {
  name: 'console',
  async attach() {
    return { notifier: createConsoleNotifier() };
  },
};
