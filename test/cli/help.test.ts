// What `--help` tells a newcomer on every command: required options marked, choices
// listed, no noise such as `(default: [])`, an example, the input rules once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dtkit } from './support.js';

const COMMANDS = [['compile'], ['decompile'], ['apply'], ['validate'], ['overlay'], ['devmem', 'decode'], ['devmem', 'check'], ['devmem', 'encode'], ['devmem', 'map']];

test('every command: an example, no empty defaults, report formats listed where they apply', () => {
  for (const cmd of COMMANDS) {
    const r = dtkit([...cmd, '--help']);
    const name = cmd.join(' ');
    assert.equal(r.status, 0, name);
    assert.match(r.stdout, /\nExamples?:\n {2}\$ dtkit /, `${name}: no example`);
    assert.ok(!r.stdout.includes('(default: [])'), `${name}: (default: [])`);
    if (['compile', 'apply', 'validate', 'overlay', 'devmem check', 'devmem map'].includes(name)) {
      assert.match(r.stdout.replace(/\s+/g, ' '), /--format <format> how to report findings \(choices: "text", "json", "sarif", "github", default: "text"\)/, name);
      assert.match(r.stdout, /-W, --warning <rule>/, `${name}: no -W`);
      assert.match(r.stdout, /-I dts \/ -I dtb name the input format/, `${name}: the input rules`);
    }
  }
});

test('required options are marked; overlay takes one base', () => {
  const flat = (args: string[]) => dtkit(args).stdout.replace(/\s+/g, ' ');
  assert.match(flat(['apply', '--help']), /-o, --output <file> \(required\)/);
  assert.match(flat(['devmem', 'encode', '--help']), /--da <addr> \(required\).* --size <size> \(required\).* --flags <flags> \(required\)/);
  const overlay = flat(['overlay', '--help']);
  assert.match(overlay, /Usage: dtkit overlay \[options\] \[base\]/);
  assert.match(overlay, /-p, --profile <profile> \(required unless --from\/--list-profiles\)/);
  const two = dtkit(['overlay', '--profile', 'lemans', 'a.dts', 'b.dts', '-o', 'x.dtso']);
  assert.deepEqual([two.status, two.stderr], [2, "dtkit: error: too many arguments for 'overlay'. Expected 1 argument but got 2.\n"]);
});
