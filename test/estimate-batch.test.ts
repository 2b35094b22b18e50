/** Batch estimates: folders, input order with worker threads, error rows, exit codes, --out --resume. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateBatch, expandInputs, type BatchRow } from '../src/node/pipelines/estimateBatch.js';
import { doneFiles, formatRow, csvCell, FILE_CSV_HEADER } from '../src/cli/commands/estimateBatch.js';

const tmp = mkdtempSync(join(tmpdir(), 'hrv-batch-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const dir = join(tmp, 'recs');
mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
copyFileSync('fixtures/pcg/85116_TV.wav', join(dir, 'b.wav'));
copyFileSync('fixtures/pcg/68377_PV.wav', join(dir, 'a.wav'));
copyFileSync('fixtures/formats/68377_PV.flac', join(dir, 'sub', 'c.flac'));
writeFileSync(join(dir, 'sub', 'broken.wav'), 'not audio at all');
copyFileSync('fixtures/pcg/74420_MV.wav', join(dir, 'sub', 'deeper', 'd.WAV'));
writeFileSync(join(dir, 'notes.txt'), 'ignored: not an audio extension');
writeFileSync(join(dir, '.hidden.wav'), 'ignored: hidden');

function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'estimate', ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('expandInputs: folders recursively by audio extension, sorted; files and - as given', () => {
  const files = expandInputs([dir, 'fixtures/pcg/68377_PV.wav', '-']);
  assert.deepEqual(files, [
    join(dir, 'a.wav'),
    join(dir, 'b.wav'),
    join(dir, 'sub', 'broken.wav'),
    join(dir, 'sub', 'c.flac'),
    join(dir, 'sub', 'deeper', 'd.WAV'),
    'fixtures/pcg/68377_PV.wav',
    '-',
  ]);
  assert.throws(() => expandInputs([join(tmp, 'missing')]), /no such file or folder/);
});

test('estimateBatch: rows in input order with 3 workers; a failed file is a row and the batch goes on', async () => {
  const files = expandInputs([dir]);
  const seen: BatchRow[] = [];
  const failed = await estimateBatch(files, {}, { jobs: 3, onRow: (row, i) => { seen.push(row); assert.equal(i, seen.length - 1); } });
  assert.equal(failed, 1);
  assert.deepEqual(seen.map((r) => r.file), files);
  const broken = seen[2]!;
  assert.equal(broken.ok, false);
  assert.ok(!broken.ok && /not a recognised audio file/.test(broken.error) && broken.errorKind === 'input');
  const hr = seen.filter((r) => r.ok).map((r) => Math.round((r as { result: { heartRateBpm: number } }).result.heartRateBpm));
  assert.deepEqual(hr, [90, 105, 90, 121]);
  // the same numbers in one thread
  const one: BatchRow[] = [];
  await estimateBatch(files, {}, { jobs: 1, onRow: (row) => void one.push(row) });
  assert.deepEqual(
    one.map((r) => (r.ok ? r.result.heartRateBpm : r.error)),
    seen.map((r) => (r.ok ? r.result.heartRateBpm : r.error)),
  );
});

test('CSV cells and resume parsing round-trip awkward file names', () => {
  const name = 'a, "b"\nc.wav';
  const row: BatchRow = { file: name, ok: false, error: 'x, y', errorKind: 'input' };
  const line = formatRow(row, 'csv');
  assert.equal(line.split(',').length >= 20, true);
  assert.equal(csvCell('plain.wav'), 'plain.wav');
  assert.deepEqual([...doneFiles(`${FILE_CSV_HEADER}\n${formatRow({ ...row, file: 'x "1".wav' }, 'csv')}`, 'csv')], ['x "1".wav']);
  assert.deepEqual([...doneFiles(`${formatRow(row, 'json')}{"file":"half`, 'json')], [name]);
});

test('CLI: a folder with --csv: header + one row per file, error row, exit 3; --json: JSON Lines', () => {
  const csv = cli([dir, '--csv', '--jobs', '2']);
  assert.equal(csv.status, 3, csv.stderr);
  const lines = csv.stdout.trim().split('\n');
  assert.equal(lines[0], FILE_CSV_HEADER);
  assert.equal(lines.length, 1 + 5);
  assert.match(lines[3]!, /broken\.wav,{20}".*not a recognised audio file/);
  // issue 11 §3: the verdict column, and trusted means good or fair
  const cols = FILE_CSV_HEADER.split(',');
  const [vi, ti] = [cols.indexOf('verdict'), cols.indexOf('trusted')];
  assert.ok(vi > 0 && ti > vi);
  for (const l of lines.slice(1).filter((l) => !/broken/.test(l))) {
    const c = l.split(',');
    assert.equal(c.length, cols.length, l);
    assert.match(c[vi]!, /^(good|fair|poor|none)$/);
    assert.equal(c[ti], String(c[vi] === 'good' || c[vi] === 'fair'), l);
  }
  assert.match(csv.stderr, /1 of 5 files failed/);
  assert.doesNotMatch(csv.stderr, /\r|ETA/); // no progress bar on a pipe
  const ok = cli([join(dir, 'a.wav'), join(dir, 'sub', 'c.flac'), '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  const objs = ok.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; heartRateBpm: number });
  assert.deepEqual(objs.map((o) => o.file), [join(dir, 'a.wav'), join(dir, 'sub', 'c.flac')]);
  assert.equal(cli([join(tmp, 'nothing-here')]).status, 2);
  assert.equal(cli([dir, '--resume']).status, 2);
  const windows = cli([join(dir, 'a.wav'), join(dir, 'b.wav'), '--window', '5', '--window-csv', '--jobs', '1']);
  assert.equal(windows.status, 0);
  assert.equal(windows.stdout.trim().split('\n').length, 1 + 2 + 2);
});

test('CLI: --out --resume appends only the files not yet done', () => {
  const out = join(tmp, 'results.jsonl');
  // an interrupted earlier run: one complete line and half a line
  writeFileSync(out, `${JSON.stringify({ file: join(dir, 'a.wav'), heartRateBpm: 1 })}\n{"file":"${join(dir, 'b.wav')}","heart`);
  const r = cli([dir, '--json', '--out', out, '--resume', '--jobs', '2']);
  assert.equal(r.status, 3, r.stderr);
  assert.equal(r.stdout, '');
  const rows = readFileSync(out, 'utf8').split('\n').filter(Boolean);
  const parsed = rows.flatMap((l) => {
    try {
      return [JSON.parse(l) as { file: string; heartRateBpm?: number }];
    } catch {
      return [];
    }
  });
  assert.deepEqual(parsed.map((p) => p.file), [join(dir, 'a.wav'), ...expandInputs([dir]).slice(1)]);
  assert.equal(parsed[0]!.heartRateBpm, 1); // kept, not redone
  const again = cli([dir, '--json', '--out', out, '--resume']);
  assert.equal(again.status, 0); // nothing left to do
  assert.equal(readFileSync(out, 'utf8').split('\n').filter(Boolean).length, rows.length);
});
