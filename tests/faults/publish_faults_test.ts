/**
 * Fault injection on publishing (docs/schemas.md, "How outputs are published"): clean-data and
 * build-aggregations killed with SIGKILL and SIGINT at every publish step (the
 * `DPD_TEST_PAUSE_AFTER` hook stops them there), killed after a delay, and run two at once. After
 * each trial the readers (the dashboard's, build-aggregations) must use one run's set, and after
 * the next command's first step the files on disk must be one complete run's set with
 * input = clean + rejected. The numbers of trials and of mixed sets found are printed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { isCleanReport, latestCleanReport } from "../../dashboard/lib/clean_report.ts";
import { parquetRunId } from "../../dashboard/lib/run_ids.ts";
import { listAggregations, resolveWorkspace } from "../../dashboard/lib/workspace.ts";
import { prepareWorkspace } from "../../src/io/publish.ts";
import { AGGREGATION_TABLES } from "../../src/aggregations/registry.ts";
import {
  aggregateArgs,
  checkAggregationSet,
  checkCleanSet,
  cleanArgs,
  type CleanSet,
  cloneSpace,
  dpd,
  type FaultSpace,
  type Finished,
  litter,
  newSpace,
  start,
  startPaused,
  writeInput,
} from "./_faults.ts";

const CLEAN_STEPS = ["written", "locked", "recorded", "renamed-1", "renamed-2", "renamed-3"];
const AGGREGATION_RENAMES = AGGREGATION_TABLES.map((_, index) => `renamed-${index + 1}`);

/** Shared by every trial: a workspace cleaned and aggregated from input A, and one cleaned from B. */
interface Baseline {
  /** A cleaned and aggregated. */
  cleanedA: FaultSpace;
  /** A aggregated, then B cleaned (the aggregations are A's). */
  cleanedB: FaultSpace;
  inputA: string;
  inputB: string;
  known: Record<string, CleanSet>;
  runIdA: string;
  runIdB: string;
}

let baseline: Promise<Baseline> | undefined;

async function recordedSet(dataDir: string, inputRows: number): Promise<CleanSet> {
  const report = JSON.parse(
    await Deno.readTextFile(join(dataDir, "reports", "in_clean_report.json")),
  );
  assert.equal(report.input_rows, inputRows);
  return {
    inputRows,
    cleanRows: report.clean_rows,
    rejectedCsv: await Deno.readTextFile(join(dataDir, "rejected", "in_rejected.csv")),
  };
}

function setUp(): Promise<Baseline> {
  baseline ??= (async () => {
    const cleanedA = await newSpace();
    const inputA = await writeInput(cleanedA, "a", 1500, 1);
    const inputB = await writeInput(cleanedA, "b", 2500, 2);
    for (const args of [cleanArgs(cleanedA, inputA), aggregateArgs(cleanedA)]) {
      const run = await dpd(args);
      assert.equal(run.code, 0, run.stderr);
    }
    const setA = await recordedSet(cleanedA.dataDir, 1500);
    const runIdA = (await checkCleanSet(cleanedA.dataDir, { a: setA })).runId!;
    const cleanedB = await cloneSpace(cleanedA);
    const inputBCopy = join(cleanedB.directory, "b", "in.csv");
    const run = await dpd(cleanArgs(cleanedB, inputBCopy));
    assert.equal(run.code, 0, run.stderr);
    const setB = await recordedSet(cleanedB.dataDir, 2500);
    const runIdB = (await checkCleanSet(cleanedB.dataDir, { b: setB })).runId!;
    return { cleanedA, cleanedB, inputA, inputB, known: { a: setA, b: setB }, runIdA, runIdB };
  })();
  return baseline;
}

/** Inputs of `space` (a clone keeps them at the same relative place). */
function inputs(space: FaultSpace) {
  return { a: join(space.directory, "a", "in.csv"), b: join(space.directory, "b", "in.csv") };
}

const tally = { trials: 0, mixed: 0, problems: [] as string[] };

/** Counts a trial, and fails it (its step) when it found a problem. */
function found(trial: string, problems: string[]): void {
  tally.trials++;
  if (problems.length) {
    tally.mixed++;
    tally.problems.push(`${trial}: ${problems.join("; ")}`);
  }
  assert.deepEqual(problems, [], trial);
}

function checkExit(finished: Finished, signal: "SIGKILL" | "SIGINT"): string[] {
  if (signal === "SIGKILL") {
    return finished.signal === "SIGKILL" ? [] : [`not killed: exit ${finished.code}`];
  }
  return finished.code === 130 ? [] : [`SIGINT gave exit ${finished.code}: ${finished.stderr}`];
}

/** The dashboard's view right after a kill: one run's report and parquet, or nothing. */
async function dashboardProblems(space: FaultSpace): Promise<string[]> {
  const workspace = resolveWorkspace(space);
  const report = await latestCleanReport(workspace);
  if (!isCleanReport(report)) return [`dashboard: ${report?.problem ?? "no report"}`];
  const parquetRun = await parquetRunId(report.cleanParquetPath);
  const problems = parquetRun === report.runId
    ? []
    : [`dashboard used report ${report.runId} with parquet ${parquetRun}`];
  try {
    const tables = await listAggregations(workspace);
    const runs = new Set(await Promise.all(tables.map((table) => parquetRunId(table.path))));
    if (runs.size !== 1) problems.push(`dashboard listed tables of ${runs.size} runs`);
  } catch (error) {
    problems.push(`dashboard tables: ${(error as Error).message}`);
  }
  return problems;
}

async function cleanKillTrial(step: string, signal: "SIGKILL" | "SIGINT"): Promise<void> {
  const base = await setUp();
  const space = await cloneSpace(base.cleanedA);
  const paused = await startPaused(cleanArgs(space, inputs(space).b), step);
  paused.child.kill(signal);
  const problems = checkExit(await paused.finished, signal);
  problems.push(...await dashboardProblems(space));
  if (signal === "SIGINT") {
    const left = await litter(space.dataDir);
    if (left.length) problems.push(`SIGINT left ${left.join(", ")}`);
  }
  // The next command: a reader that also touches the workspace.
  const reader = await dpd(aggregateArgs(space));
  if (reader.code !== 0) problems.push(`build-aggregations after the kill: ${reader.stderr}`);
  const clean = await checkCleanSet(space.dataDir, base.known);
  problems.push(...clean.problems);
  const committed = step !== "written" && step !== "locked";
  if (clean.which !== (committed ? "b" : "a")) {
    problems.push(`expected run ${committed ? "b" : "a"} on disk, found ${clean.which}`);
  }
  const tables = await checkAggregationSet(space.dataDir);
  problems.push(...tables.problems);
  if (tables.sourceRunId !== clean.runId) problems.push("tables not from the clean set on disk");
  const records = (await litter(space.dataDir)).filter((name) => name.includes(".dpd-commit-"));
  if (records.length) problems.push(`commit records left: ${records.join(", ")}`);
  found(`clean-data ${signal} after ${step}`, problems);
  await Deno.remove(space.directory, { recursive: true });
}

async function aggregationKillTrial(step: string, signal: "SIGKILL" | "SIGINT"): Promise<void> {
  const base = await setUp();
  const space = await cloneSpace(base.cleanedB);
  const paused = await startPaused(aggregateArgs(space), step);
  paused.child.kill(signal);
  const problems = checkExit(await paused.finished, signal);
  problems.push(...await dashboardProblems(space));
  // What every dpd command does first.
  await prepareWorkspace(space.dataDir);
  const tables = await checkAggregationSet(space.dataDir);
  problems.push(...tables.problems);
  const committed = step === "recorded" || step.startsWith("renamed-") || step === "published";
  const expectedSource = committed ? base.runIdB : base.runIdA;
  if (tables.sourceRunId !== expectedSource) {
    problems.push(`tables from clean run ${tables.sourceRunId}, expected ${expectedSource}`);
  }
  const left = await litter(space.dataDir);
  const unexpected = signal === "SIGINT" ? left : left.filter((name) => name.includes("commit"));
  if (unexpected.length) problems.push(`left ${unexpected.join(", ")}`);
  found(`build-aggregations ${signal} after ${step}`, problems);
  await Deno.remove(space.directory, { recursive: true });
}

Deno.test("clean-data killed at every publish step: readers and disk hold one run's set", async (t) => {
  for (const signal of ["SIGKILL", "SIGINT"] as const) {
    for (const step of [...CLEAN_STEPS, "published"]) {
      await t.step(`${signal} after ${step}`, () => cleanKillTrial(step, signal));
    }
  }
});

Deno.test("build-aggregations killed at every publish step: the tables stay one run's", async (t) => {
  for (const step of ["written", "locked", "recorded", ...AGGREGATION_RENAMES, "published"]) {
    await t.step(`SIGKILL after ${step}`, () => aggregationKillTrial(step, "SIGKILL"));
  }
  for (const step of ["written", "recorded", "renamed-4", "published"]) {
    await t.step(`SIGINT after ${step}`, () => aggregationKillTrial(step, "SIGINT"));
  }
});

Deno.test("clean-data killed after a delay, mid-run: the next reader sees one run's set", async () => {
  const base = await setUp();
  for (const delay of [150, 400, 700, 1000, 1300]) {
    const space = await cloneSpace(base.cleanedA);
    const run = start(cleanArgs(space, inputs(space).b));
    await new Promise((resolve) => setTimeout(resolve, delay));
    // On a fast machine the run may have finished already: the trial then checks a finished set.
    try {
      run.child.kill("SIGKILL");
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
    await run.finished;
    const problems = await dashboardProblems(space);
    const reader = await dpd(aggregateArgs(space));
    if (reader.code !== 0) problems.push(`build-aggregations: ${reader.stderr}`);
    problems.push(...(await checkCleanSet(space.dataDir, base.known)).problems);
    problems.push(...(await checkAggregationSet(space.dataDir)).problems);
    found(`clean-data SIGKILL after ${delay} ms`, problems);
    await Deno.remove(space.directory, { recursive: true });
  }
});

Deno.test("two clean-data runs at once publish one whole set, never a mix", async () => {
  const base = await setUp();
  for (let round = 0; round < 3; round++) {
    const space = await cloneSpace(base.cleanedA);
    const writers = [
      start(cleanArgs(space, inputs(space).a)),
      start(cleanArgs(space, inputs(space).b)),
    ];
    const problems: string[] = [];
    for (const writer of writers) {
      const finished = await writer.finished;
      if (finished.code !== 0) problems.push(`a writer failed: ${finished.stderr}`);
    }
    problems.push(...(await checkCleanSet(space.dataDir, base.known)).problems);
    // Two build-aggregations at once as well, reading that set.
    const readers = await Promise.all([dpd(aggregateArgs(space)), dpd(aggregateArgs(space))]);
    for (const reader of readers) {
      if (reader.code !== 0) problems.push(`a reader failed: ${reader.stderr}`);
    }
    problems.push(...(await checkAggregationSet(space.dataDir)).problems);
    problems.push(...(await litter(space.dataDir)));
    found(`two writers, round ${round + 1}`, problems);
    await Deno.remove(space.directory, { recursive: true });
  }
});

Deno.test("a writer waits for the publish lock; killing its holder lets it publish", async () => {
  const base = await setUp();
  const space = await cloneSpace(base.cleanedA);
  const holder = await startPaused(cleanArgs(space, inputs(space).b), "locked");
  const waiter = start(cleanArgs(space, inputs(space).a));
  // The waiter cannot publish while the holder has the lock.
  const early = await Promise.race([
    waiter.finished.then(() => "finished"),
    new Promise((resolve) => setTimeout(() => resolve("waiting"), 3000)),
  ]);
  const problems = early === "waiting" ? [] : ["the second writer did not wait for the lock"];
  holder.child.kill("SIGKILL");
  await holder.finished;
  const finished = await waiter.finished;
  if (finished.code !== 0) problems.push(`the waiting writer failed: ${finished.stderr}`);
  const clean = await checkCleanSet(space.dataDir, base.known);
  problems.push(...clean.problems);
  if (clean.which !== "a") problems.push(`expected the waiting writer's set, found ${clean.which}`);
  found("writer waiting for a killed lock holder", problems);
  await Deno.remove(space.directory, { recursive: true });
});

Deno.test("a reader arriving mid-publish waits for it, then reads the new set whole", async () => {
  const base = await setUp();
  for (const reader of ["build-aggregations", "dashboard"] as const) {
    const space = await cloneSpace(base.cleanedA);
    // Parquet B is in place, report and rejected CSV are still A's, the writer holds the lock.
    const writer = await startPaused(cleanArgs(space, inputs(space).b), "renamed-1");
    const reading = reader === "build-aggregations"
      ? dpd(aggregateArgs(space)).then((run) => run.code === 0 ? [] : [run.stderr])
      : dashboardProblems(space);
    const early = await Promise.race([
      reading.then(() => "finished"),
      new Promise((resolve) => setTimeout(() => resolve("waiting"), 2000)),
    ]);
    const problems = early === "waiting" ? [] : [`${reader} did not wait for the publish`];
    writer.child.kill("SIGKILL");
    await writer.finished;
    problems.push(...await reading);
    const clean = await checkCleanSet(space.dataDir, base.known);
    problems.push(...clean.problems);
    if (clean.which !== "b") problems.push(`expected the committed run b, found ${clean.which}`);
    if (reader === "build-aggregations") {
      const tables = await checkAggregationSet(space.dataDir);
      problems.push(...tables.problems);
      if (tables.sourceRunId !== clean.runId) problems.push("tables not computed from run b");
    }
    found(`${reader} reading while a writer is mid-publish`, problems);
    await Deno.remove(space.directory, { recursive: true });
  }
});

Deno.test("fault injection total: no mixed set in any trial", () => {
  console.log(
    `publish faults: ${tally.trials} trials, ${tally.mixed} mixed or inconsistent sets found`,
  );
  assert.deepEqual(tally.problems, []);
  // 14 clean-data kills, 16 build-aggregations kills, 5 delayed kills, 3 rounds of two writers, 1
  // writer waiting for a killed lock holder, 2 readers arriving mid-publish: none may be skipped.
  assert.equal(tally.trials, 41);
});
