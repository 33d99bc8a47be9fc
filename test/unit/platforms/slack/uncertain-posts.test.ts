import { describe, expect, it } from 'vitest';
import { createUncertainPosts } from '../../../../src/platforms/slack/uncertain-posts.js';

describe('uncertain posts', () => {
  it('remembers an attempt until forgotten, and drops attempts older than the lookback', () => {
    let now = 1_000_000;
    const posts = createUncertainPosts(60_000, () => now);
    posts.mark('a');
    expect(posts.has('a')).toBe(true);
    posts.forget('a');
    expect(posts.has('a')).toBe(false);
    posts.mark('old');
    now += 61_000;
    posts.mark('new');
    expect(posts.has('old')).toBe(false);
    expect(posts.has('new')).toBe(true);
  });
});
