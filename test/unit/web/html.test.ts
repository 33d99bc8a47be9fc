import { describe, expect, it } from 'vitest';
import { html, trusted } from '../../../src/web/html.js';

describe('html', () => {
  it('escapes interpolated text, attributes included', () => {
    const name = `<script>alert("x")</script> & O'Brien`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; O&#39;Brien">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; O&#39;Brien</p>',
    );
  });

  it('nests templates and lists without escaping them twice, and drops empty parts', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}${null}${undefined}${false}</ul>${trusted('<hr>')}${0}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>0');
  });
});
