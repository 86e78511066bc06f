// Benchmark driver: wasmtorch vs tfjs-backend-wasm (1 thread) vs tfjs-backend-cpu.
// Each case runs in a process of its own, all three libraries in that process:
// a case measured after others inherits their JIT feedback, heap and caches
// (the seed program took 10 ms after the MLP cases and 5.5 ms alone).
// Prints a table of medians and speedups, writes bench/results.json and a bar
// chart of the speed ratios, bench/results.svg.
//   npm run bench            (builds the TypeScript, then runs dist/bench/run.js)
//   npm run bench -- gemm    (only cases whose name contains "gemm", ignoring case)
//   npm run bench -- mlp --profile   (also prints torch.profiler's table for one wasmtorch run of each case)
//   npm run bench -- --help          (the cases and flags)
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import * as torch from '../src/index.js';
import { setupTfjs, useBackend } from './tfjs.js';
import { measure, fmtTime, yieldLoop, type Stats } from './timing.js';
import { renderSpeedChart, type Baseline } from './chart.js';
import { type Case, type Lib, type Runner, LIBS, withThreads } from './cases/types.js';
import { squareGemmCase, mlpGemmCases } from './cases/gemm.js';
import { addCase, mulCase, sumCase, unaryCases } from './cases/elementwise.js';
import { mlpCase } from './cases/mlp.js';
import { seedCase } from './cases/seed.js';
import { mnistEpochCase } from './cases/mnist_epoch.js';
import { cnnCase, cnnForwardCase } from './cases/cnn.js';
import { namesGruCase, lstmCase } from './cases/rnn.js';

const gc = (globalThis as { gc?: () => void }).gc;
const cases: Case[] = [
  ...[128, 256, 512, 1024].map(squareGemmCase), ...mlpGemmCases, addCase, mulCase, sumCase, ...unaryCases, mlpCase, seedCase, mnistEpochCase, cnnCase, cnnForwardCase,
  namesGruCase, lstmCase,
  // intra-op threads (tfjs-wasm stays on one thread: the yardstick)
  ...[squareGemmCase(512), squareGemmCase(1024), mlpCase, namesGruCase].map((c) => withThreads(c, 2, torch)),
];

interface Row { c: Case; stats: Partial<Record<Lib, Stats>>; checks: Partial<Record<Lib, number>>; profile?: string }

async function runCase(c: Case, profileRun = false): Promise<Row> {
  const row: Row = { c, stats: {}, checks: {} };
  for (const lib of c.libs ?? LIBS) {
    await useBackend(lib);
    gc?.();
    await yieldLoop();
    let r: Runner | undefined;
    try {
      r = lib === 'wasmtorch' ? c.torch() : c.tf();
      row.stats[lib] = await measure(r.run);
      if (r.check) row.checks[lib] = r.check();
      // --profile: one more run, after the timed ones, under the profiler
      if (profileRun && lib === 'wasmtorch') row.profile = torch.profiler.profile(r.run).table({ sort_by: 'cpu_time_total', row_limit: 20 });
    } catch (e) {
      console.error(`  ${c.name} / ${lib} failed: ${(e as Error).stack ?? e}`);
    } finally {
      r?.dispose();
    }
  }
  const ref = row.checks.wasmtorch;
  for (const lib of LIBS) {
    const v = row.checks[lib];
    if (ref === undefined || v === undefined) continue;
    if (!(Math.abs(v - ref) <= (c.tol ?? 1e-2) * Math.max(1, Math.abs(ref), Math.abs(v)))) {
      console.warn(`  WARNING ${c.name}: results differ, wasmtorch ${ref} vs ${lib} ${v}`);
    }
  }
  return row;
}

const speedup = (row: Row, lib: Lib) =>
  row.stats.wasmtorch && row.stats[lib] ? row.stats[lib]!.median / row.stats.wasmtorch.median : undefined;

function cell(row: Row, lib: Lib): string {
  const s = row.stats[lib];
  if (!s) return (row.c.libs ?? LIBS).includes(lib) ? 'failed' : 'not run';
  const rate = row.c.rate ? ` (${(row.c.rate.amount / s.median).toFixed(1)} ${row.c.rate.unit})` : '';
  return fmtTime(s.median) + rate;
}

function printTable(rows: Row[]): void {
  const head = ['case', ...LIBS, 'vs tfjs-wasm', 'vs tfjs-cpu'];
  const body = rows.map((r) => [
    r.c.name, ...LIBS.map((l) => cell(r, l)),
    ...(['tfjs-wasm', 'tfjs-cpu'] as Lib[]).map((l) => { const x = speedup(r, l); return x ? `${x.toFixed(2)}x` : '-'; }),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cols: string[]) => cols.map((s, i) => (i === 0 ? s.padEnd(w[i]) : s.padStart(w[i]))).join(' | ');
  console.log('\n' + line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('-|-'));
  for (const b of body) console.log(line(b));
  console.log('\nmedian time per run (throughput); speedup = their median / wasmtorch median (>1: wasmtorch faster)');
}

type Measured = Omit<Row, 'c'>;
const CASE_FLAG = '--case=';

/** Runs cases[index] in a new Node process (this script with --case=index) and reads back its row. */
function runCaseInChild(index: number, profileRun: boolean): Measured {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `${CASE_FLAG}${index}`,
    ...(profileRun ? ['--profile'] : [])], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const out = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !out.startsWith('{')) {
    console.error(`  ${cases[index].name}: the case's process failed (exit ${child.status}${child.signal ? ', ' + child.signal : ''})`);
    return { stats: {}, checks: {} };
  }
  return JSON.parse(out) as Measured;
}

const FLAGS: Record<string, string> = {
  '--profile': "also print torch.profiler's table for one wasmtorch run of each case",
  '--help': 'print this and exit (also -h)',
};

function usage(): string {
  return [
    'usage: npm run bench -- [FILTER] [--profile]',
    '',
    'Runs each case in a process of its own, wasmtorch against tfjs-backend-wasm and tfjs-backend-cpu in that',
    'process, and prints medians and ratios (bench/results.json, bench/results.svg). FILTER keeps the cases whose',
    'name contains it, ignoring case.',
    '',
    'flags:',
    ...Object.entries(FLAGS).map(([f, what]) => `  ${f.padEnd(10)} ${what}`),
    '',
    'cases:',
    ...cases.map((c) => `  ${c.name}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage());
    return;
  }
  const unknown = args.filter((a) => a.startsWith('-') && !(a in FLAGS) && !a.startsWith(CASE_FLAG));
  if (unknown.length > 0) {
    console.error(`bench: unknown flag ${unknown.join(', ')}\n\n${usage()}`);
    process.exit(2);
  }
  const filters = args.filter((a) => !a.startsWith('-'));
  if (filters.length > 1) {
    console.error(`bench: one FILTER at most, got ${filters.map((f) => JSON.stringify(f)).join(', ')}\n\n${usage()}`);
    process.exit(2);
  }
  const profileRun = args.includes('--profile');
  const only = args.find((a) => a.startsWith(CASE_FLAG));
  if (only !== undefined) {
    // a child: measure one case, print its row as the last line of JSON
    await setupTfjs();
    const { c: _, ...measured } = await runCase(cases[Number(only.slice(CASE_FLAG.length))], profileRun);
    process.stdout.write('\n' + JSON.stringify(measured) + '\n');
    return;
  }
  const filter = filters[0]?.toLowerCase();
  const selected = filter ? cases.filter((c) => c.name.toLowerCase().includes(filter)) : cases;
  if (selected.length === 0) {
    console.error(`bench: no case name contains ${JSON.stringify(filters[0])}\n\n${usage()}`);
    process.exit(2);
  }
  await setupTfjs(); // for the machine description
  const machine = {
    cpu: os.cpus()[0]?.model, cores: os.cpus().length, os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version, date: new Date().toISOString(), loadavg_1m: os.loadavg()[0],
    tfjs: tf.version_core, tfjsWasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), tfjsWasmThreads: 1,
  };
  console.log(`${machine.cpu}, ${machine.cores} cores, node ${machine.node}, tfjs ${machine.tfjs}`);
  const rows: Row[] = [];
  for (const c of selected) {
    process.stdout.write(`${c.name} ...`);
    const row: Row = { c, ...runCaseInChild(cases.indexOf(c), profileRun) };
    process.stdout.write(' ' + LIBS.map((l) => `${l} ${cell(row, l)}`).join(', ') + '\n');
    if (row.profile) console.log(`\nwasmtorch, one run of "${c.name}" under torch.profiler:\n${row.profile}`);
    rows.push(row);
  }
  printTable(rows);
  const results = {
    machine,
    method: 'warm-up, then samples until >= 15 samples (5 if one run > 1 s) and >= 0.5 s; runs shorter than 1 ms are batched per sample; medians in seconds per run',
    cases: rows.map((r) => ({
      name: r.c.name,
      unit: r.c.rate?.unit,
      results: Object.fromEntries(LIBS.filter((l) => r.stats[l]).map((l) => {
        const s = r.stats[l]!;
        return [l, { median_s: s.median, min_s: s.min, samples: s.samples, runs_per_sample: s.inner,
          ...(r.c.rate ? { rate: r.c.rate.amount / s.median } : {}), check: r.checks[l] }];
      })),
      speedup_vs_tfjs_wasm: speedup(r, 'tfjs-wasm'),
      speedup_vs_tfjs_cpu: speedup(r, 'tfjs-cpu'),
    })),
  };
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/results.json');
  fs.writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${out}`);
  const baselines: Baseline[] = ['tfjs-wasm', 'tfjs-cpu'];
  const svg = renderSpeedChart(
    rows.map((r) => {
      const ratios: Partial<Record<Baseline, number>> = {};
      for (const l of baselines) ratios[l] = speedup(r, l);
      const failed = LIBS.filter((l) => (r.c.libs ?? LIBS).includes(l) && !r.stats[l]);
      return { name: r.c.name, ratios, failed };
    }),
    { date: machine.date, node: machine.node, cpu: machine.cpu, threads: machine.cores }, // rows say when wasmtorch ran on more than one thread
  );
  const svgOut = out.replace(/\.json$/, '.svg');
  fs.writeFileSync(svgOut, svg);
  console.log(`wrote ${svgOut}`);
}

await main();
