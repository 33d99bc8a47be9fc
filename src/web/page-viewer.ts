import { AsyncLocalStorage } from 'node:async_hooks';
import type { RetentionStatus } from '../services/leaving/inactivity.js';

/** Who is looking at the page being rendered: the header names the clinic and the person. */
export interface PageViewer {
  clinicName: string;
  name: string;
  /** Owner and admin see the Staff and API tokens links. */
  manages: boolean;
  /** The retention countdown, shown on every page while no platform is installed (docs/privacy.md). */
  retention?: RetentionStatus;
}

// Set once per request by the sign-in guard, so every page's header shows the clinic without each
// renderer (eleven of them) passing it along.
const storage = new AsyncLocalStorage<PageViewer>();

export function withPageViewer(viewer: PageViewer, next: () => void): void {
  storage.run(viewer, next);
}

export function currentPageViewer(): PageViewer | undefined {
  return storage.getStore();
}
