/**
 * Every benchmark stage, in pipeline order. Adding a stage means adding its module here.
 */
import type { BenchStage } from "./harness.ts";
import { generateStage } from "./stages/generate.ts";
import { csvParseStage } from "./stages/csv_parse.ts";
import { lookupsStage } from "./stages/lookups.ts";
import { cleanStage, cleanUuidStage } from "./stages/clean.ts";
import { aggregateStage } from "./stages/aggregate.ts";
import { pipelineStage } from "./stages/pipeline.ts";
import { dashboardStage } from "./stages/dashboard.ts";

export const BENCH_STAGES: BenchStage[] = [
  generateStage,
  csvParseStage,
  lookupsStage,
  cleanStage,
  cleanUuidStage,
  aggregateStage,
  pipelineStage,
  dashboardStage,
];
