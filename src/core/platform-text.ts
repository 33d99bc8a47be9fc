/**
 * Text that came from a platform (display names, leave reasons, chat messages) before it is stored.
 * PostgreSQL refuses NUL in text columns, which made a signed webhook fail on every retry until the
 * platform gave up; the other C0 controls (all but tab and newline) and DEL garble logs, CSV cells
 * and chat cards. Removing them is safe: no real name or message needs them.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** Display names are capped: a name longer than this is a payload, not a person. */
export const DISPLAY_NAME_MAX_LENGTH = 256;

export function hasControlCharacters(value: string): boolean {
  CONTROL_CHARACTERS.lastIndex = 0;
  return CONTROL_CHARACTERS.test(value);
}

export function cleanPlatformText(value: string, maxLength?: number): string {
  const cleaned = value.replace(CONTROL_CHARACTERS, '');
  return maxLength === undefined ? cleaned : truncateCodePoints(cleaned, maxLength);
}

/** A display name: controls removed, whitespace at either end trimmed, at most DISPLAY_NAME_MAX_LENGTH characters. */
export function cleanDisplayName(value: string): string {
  return truncateCodePoints(value.replace(CONTROL_CHARACTERS, '').trim(), DISPLAY_NAME_MAX_LENGTH);
}

// Cutting a UTF-16 string in the middle of a surrogate pair would leave half an emoji.
function truncateCodePoints(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  return Array.from(value).slice(0, maxLength).join('').slice(0, maxLength).replace(/[\uD800-\uDBFF]$/, '');
}
