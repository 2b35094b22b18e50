import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram, COMMAND_SUMMARIES } from '../src/cli/program.js';

test('the top-level help from the summaries equals the help of the real commands', async () => {
  const full = await buildProgram(); // every command module
  const light = await buildProgram(['node', 'hrv-audio', '--help']); // summaries only
  assert.deepEqual(
    light.commands.map((c) => c.name()),
    full.commands.map((c) => c.name()),
  );
  assert.equal(light.helpInformation(), full.helpInformation());
  assert.deepEqual(Object.keys(COMMAND_SUMMARIES), full.commands.map((c) => c.name()));
});

test('hrv-audio --help registers stand-ins only; help CMD and CMD --help load that one command', async () => {
  const standIn = (p: Awaited<ReturnType<typeof buildProgram>>): boolean[] => p.commands.map((c) => c.options.some((o) => o.long === '--stand-in'));
  for (const args of [['--help'], ['-h'], [], ['help'], ['no-such-command']]) {
    const p = await buildProgram(['node', 'hrv-audio', ...args]);
    assert.equal(p.commands.length, Object.keys(COMMAND_SUMMARIES).length);
    assert.ok(standIn(p).every(Boolean), args.join(' '));
  }
  for (const args of [['estimate', '--help'], ['help', 'estimate'], ['--help', 'estimate']]) {
    const p = await buildProgram(['node', 'hrv-audio', ...args]);
    assert.deepEqual(p.commands.map((c) => c.name()), ['estimate'], args.join(' '));
    assert.deepEqual(standIn(p), [false]);
  }
  assert.equal((await buildProgram(['node', 'hrv-audio', '--version'])).commands.length, 0);
});
