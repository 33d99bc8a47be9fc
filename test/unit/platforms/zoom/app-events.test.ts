import { describe, expect, it } from 'vitest';
import { botNotificationSchema, interactiveActionSchema } from '../../../../src/platforms/zoom/chatbot-events.js';
import { appDeauthorizedSchema } from '../../../../src/platforms/zoom/deauthorize.js';
import { recordingCompletedSchema } from '../../../../src/platforms/zoom/recordings.js';
import { readZoomFixture } from '../../../support/zoom-signing.js';

describe('Zoom app event fixtures parse with their schemas', () => {
  it.each([
    ['app-deauthorized', appDeauthorizedSchema],
    ['bot-notification', botNotificationSchema],
    ['interactive-message-actions', interactiveActionSchema],
    ['recording-completed', recordingCompletedSchema],
  ] as const)('%s', (name, schema) => {
    const result = schema.safeParse(readZoomFixture(name).json);
    expect(result.error?.issues).toBeUndefined();
  });
});
