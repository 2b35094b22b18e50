/**
 * The package people install: `npm pack`, install the tarball into an empty folder, run the CLI
 * on a fixture, import the library and type-check against its declarations. Needs the npm
 * registry (or npm's cache) for the dependencies; skipped with a message when the install fails
 * for want of a network, or when HRV_SKIP_PACKAGE_TEST=1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const skip = process.env.HRV_SKIP_PACKAGE_TEST === '1' ? 'HRV_SKIP_PACKAGE_TEST=1' : false;

test('npm pack → install in an empty folder → CLI runs, library imports with types', { skip, timeout: 600_000 }, (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'hrv-pack-'));
  try {
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], { encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const paths = info[0]!.files.map((f) => f.path);
    for (const need of ['dist/bin/hrv-audio.js', 'dist/bin/estimate.cjs', 'dist/bin/estimateWorker.js', 'dist/bin/trainWorker.js', 'dist/src/index.d.ts', 'dist/src/node.d.ts', 'dist/src/node/workers/estimateWorker.js', 'README.md', 'LICENSE']) {
      assert.ok(paths.includes(need), `the tarball lacks ${need}`);
    }
    assert.ok(!paths.some((p) => p.startsWith('test/') || p.startsWith('src/')), 'sources and tests stay out of the tarball');
    assert.ok(!paths.some((p) => p.endsWith('.v8cache')), 'no code cache in the tarball (each machine writes its own)');
    const app = join(tmp, 'app');
    spawnSync('mkdir', [app]);
    writeFileSync(join(app, 'package.json'), '{"name":"app","version":"1.0.0","type":"module","private":true}');
    const tarball = join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz'))!);
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, encoding: 'utf8' });
    if (install.status !== 0 && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(install.stderr)) {
      t.skip(`npm install needs the registry: ${install.stderr.split('\n')[0]}`);
      return;
    }
    assert.equal(install.status, 0, install.stderr);
    copyFileSync(resolve('fixtures/pcg/68377_PV.wav'), join(app, 'fixture.wav'));
    const cli = spawnSync(join(app, 'node_modules', '.bin', 'hrv-audio'), ['estimate', 'fixture.wav', '--json'], { cwd: app, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.ok(Math.abs((JSON.parse(cli.stdout) as { heartRateBpm: number }).heartRateBpm - 90.1) < 1);
    // the first call wrote estimate.cjs's code cache in the installed package; the second uses it, same output
    const binDir = join(app, 'node_modules', 'hrv-audio', 'dist', 'bin');
    assert.equal(readdirSync(binDir).filter((f) => f.endsWith('.v8cache')).length, 1, 'the first call writes the code cache');
    const again = spawnSync(join(app, 'node_modules', '.bin', 'hrv-audio'), ['estimate', 'fixture.wav', '--json'], { cwd: app, encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, cli.stdout);
    const code = [
      "import { estimate, decodeAudio } from 'hrv-audio';",
      "import { estimateFile } from 'hrv-audio/node';",
      "const r = await estimateFile('fixture.wav');",
      'const hr: number | null = r.heartRateBpm;',
      'const f: typeof decodeAudio = decodeAudio;',
      "console.log(JSON.stringify({ hr, e: typeof estimate, f: typeof f }));",
    ].join('\n');
    writeFileSync(join(app, 'use.ts'), code);
    writeFileSync(join(app, 'use.mjs'), code.replace(': number | null', '').replace(': typeof decodeAudio', ''));
    const run = spawnSync(process.execPath, ['use.mjs'], { cwd: app, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(Object.keys(JSON.parse(run.stdout) as object), ['hr', 'e', 'f']);
    const tsc = spawnSync(
      process.execPath,
      [resolve('node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', resolve('node_modules/@types'), 'use.ts'],
      { cwd: app, encoding: 'utf8' },
    );
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
