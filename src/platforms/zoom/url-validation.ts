import { createHmac } from 'node:crypto';

export interface ZoomUrlValidationAnswer {
  plainToken: string;
  encryptedToken: string;
}

/**
 * The 200 body answering `endpoint.url_validation` (Zoom sends it when the URL is saved and again
 * every 72 hours). Only the current secret token can answer: Zoom validates against it.
 */
export function answerUrlValidation(plainToken: string, secret: string): ZoomUrlValidationAnswer {
  const encryptedToken = createHmac('sha256', secret).update(plainToken, 'utf8').digest('hex');
  return { plainToken, encryptedToken };
}
