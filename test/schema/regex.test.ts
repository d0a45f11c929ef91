// Python `re.search` semantics for binding patterns, and the cost guard that sends
// patterns able to backtrack exponentially to the linear-time engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRiskyPattern, literalPrefix, pyRegex, pyRegexError } from '../../src/schema/regex.js';

const search = (p: string, s: string): boolean => pyRegex(p).search(s);

test("Python's dialect: $ before a final newline, \\Z, \\A, named groups, {,n}, inline flags", () => {
  assert.equal(search('^foo$', 'foo\n'), true);
  assert.equal(search('^foo\\Z', 'foo\n'), false);
  assert.equal(search('\\Afoo', 'xfoo'), false);
  assert.equal(search('^(?P<x>ab)(?P=x)$', 'abab'), true);
  assert.equal(search('^a{,2}$', 'aa'), true);
  assert.equal(search('^a{,2}$', 'aaa'), false);
  assert.equal(search('(?i)^QCOM,', 'qcom,x'), true);
  assert.equal(search('^x{1}$', 'x'), true);
  assert.equal(search('a{', 'a{'), true);
  // search, not match: unanchored patterns find their text anywhere
  assert.equal(search('-supply', 'vdd-supply'), true);
});

test('a pattern Python rejects never matches, and says why', () => {
  assert.equal(pyRegexError('(ab'), 'missing ), unterminated subpattern');
  assert.equal(search('(ab', 'ab'), false);
  assert.equal(pyRegexError('^[a-z]+$'), undefined);
});

test('risky patterns run on the linear engine with the same answers', { timeout: 20_000 }, () => {
  for (const p of ['^(a+)+$', '^(a|aa)+$', '^([a-z0-9]+-)*[a-z0-9]+$', '(x+x+)+y']) assert.equal(isRiskyPattern(p), true, p);
  for (const p of ['^[a-z]+$', '^(foo|bar)$', '^pinctrl-[0-9]+$', '.*-names$']) assert.equal(isRiskyPattern(p), false, p);
  assert.equal(search('^(a+)+$', `${'a'.repeat(45)}b`), false);
  assert.equal(search('^(a|aa)+$', 'a'.repeat(1000)), true);
  assert.equal(search('^([a-z0-9]+-)*[a-z0-9]+$', `${'ab-'.repeat(5000)}x`), true);
  assert.equal(search('(x+x+)+y', 'x'.repeat(5000)), false);
  // a long value against a pattern with several repeats also takes the linear engine
  assert.equal(search('^.*a.*b.*c$', `${'a'.repeat(100_000)}x`), false);
});

test('a pattern that only requires a literal start gives that literal, and agrees with the regex', () => {
  assert.equal(literalPrefix('^abilis,.*'), 'abilis,');
  assert.equal(literalPrefix('^linux-'), 'linux-');
  for (const p of ['abilis,.*', '^a.b,.*', '^(ts|st),.*', '^abc,.*$', '^abc,.+', '^#.*', '^abc\\,.*']) assert.equal(literalPrefix(p), undefined, p);
  for (const p of ['^abilis,.*', '^linux-', '^a_b-c,.*']) {
    const lit = literalPrefix(p)!;
    for (const k of ['abilis,foo', 'abilis,', 'abilis', 'xabilis,', 'linux-x', 'linux', 'a_b-c,1', 'a_b-c,\n', '']) {
      assert.equal(k.startsWith(lit), pyRegex(p).search(k), `${p} on ${JSON.stringify(k)}`);
    }
  }
});
