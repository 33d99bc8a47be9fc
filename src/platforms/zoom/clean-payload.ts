import { cleanPlatformText } from '../../core/platform-text.js';

/** Longer than any value Zoom sends; a string past it is a payload, not a field. */
const MAX_STRING_LENGTH = 4096;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Every string in a parsed Zoom delivery, made storable: NUL and the other C0 controls removed
 * (PostgreSQL refuses NUL in text and in jsonb, so one NUL made a signed delivery fail on every
 * retry until Zoom gave up), lone UTF-16 surrogates replaced (jsonb refuses them too), and length
 * capped. Applied once where a delivery is parsed, so normalization, chatbot events, recordings
 * and deauthorization all see clean values. Names get the tighter cleanDisplayName where used.
 */
export function cleanPayloadStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanPlatformText(value.replace(LONE_SURROGATE, '\uFFFD'), MAX_STRING_LENGTH);
  // Zoom's envelopes are a few levels deep; the 512 kB body limit bounds the rest.
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cleanPayloadStrings(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [cleanPlatformText(key), cleanPayloadStrings(item, depth + 1)]));
}
