/**
 * Imports point one way (README, "Architecture"): every relative import of src/, dashboard/ and
 * main.ts (static, dynamic, re-export, and the module a `new Worker` runs) must go from a layer to
 * one it may use, and the layers must not import each other in a cycle.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";
import { PROJECT_ROOT } from "./_dpd.ts";

const STAGES = ["src/generation", "src/lookups", "src/cleaning", "src/aggregations"] as const;
const SRC_LAYERS = ["src/io", "src/cli", ...STAGES, "src"] as const;

/**
 * What each layer may import besides itself. A layer is a folder of src/ with its subfolders
 * (`src/cleaning/rules` is `src/cleaning`), src/'s own files (`src`: the pipeline and what else
 * runs several stages), dashboard/, main.ts and deno.json (read for the version).
 */
export const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  "src/io": [],
  "src/cli": ["src/io"],
  "src/generation": ["src/io", "src/cli"],
  "src/lookups": ["src/io", "src/cli"],
  "src/cleaning": ["src/io", "src/cli", "src/lookups"],
  "src/aggregations": ["src/io", "src/cli", "src/lookups", "src/cleaning"],
  "src": ["src/io", "src/cli", ...STAGES],
  "dashboard": [...SRC_LAYERS, "deno.json"],
  "main.ts": [...SRC_LAYERS, "dashboard", "deno.json"],
  "deno.json": [],
};

/** One import: the file that has it and the file it names, both relative to the project root. */
export interface ImportEdge {
  file: string;
  imported: string;
}

/** The layer of a project file, or `undefined` for a file outside every layer. */
export function layerOf(path: string): string | undefined {
  const parts = path.split("/");
  if (path === "main.ts" || path === "deno.json") return path;
  if (parts[0] === "dashboard" && parts.length > 1) return "dashboard";
  if (parts[0] !== "src" || parts.length < 2) return undefined;
  return parts.length === 2 ? "src" : `src/${parts[1]}`;
}

/** `file → imported` lines for every import that is not allowed, and for files in no layer. */
export function forbiddenImports(
  edges: readonly ImportEdge[],
  allowed: Readonly<Record<string, readonly string[]>> = ALLOWED_IMPORTS,
): string[] {
  const problems: string[] = [];
  for (const { file, imported } of edges) {
    const from = layerOf(file);
    const to = layerOf(imported);
    if (from === undefined || to === undefined || !(from in allowed)) {
      problems.push(`${file} → ${imported} (a file outside the layers of ALLOWED_IMPORTS)`);
    } else if (from !== to && !allowed[from].includes(to)) {
      problems.push(
        `${file} → ${imported} (${from} may import ${allowed[from].join(", ") || "nothing"})`,
      );
    }
  }
  return problems;
}

/** Each cycle of layers importing each other, as `a → b → a`; empty when there is none. */
export function layerCycles(edges: readonly ImportEdge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const { file, imported } of edges) {
    const from = layerOf(file) ?? file;
    const to = layerOf(imported) ?? imported;
    if (from === to) continue;
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)!.add(to);
  }
  const cycles: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (layer: string): void => {
    const open = path.indexOf(layer);
    if (open >= 0) {
      cycles.push([...path.slice(open), layer].join(" → "));
      return;
    }
    if (done.has(layer)) return;
    path.push(layer);
    for (const to of [...(next.get(layer) ?? [])].sort()) visit(to);
    path.pop();
    done.add(layer);
  };
  for (const layer of [...next.keys()].sort()) visit(layer);
  return cycles;
}

/**
 * Relative specifiers of `import … from`, `export … from`, `import "…"`, `import("…")`, and of a
 * module named by `new URL("./x.ts", import.meta.url)` (a worker's script, handed to a pool).
 */
const IMPORT_PATTERN =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']|new URL\(\s*["'](\.{1,2}\/[^"']+\.tsx?)["']/g;

/** The relative imports of one file's text, resolved against the file's folder. */
export function importsOf(file: string, text: string): ImportEdge[] {
  return [...text.matchAll(IMPORT_PATTERN)].map((match) => ({
    file,
    imported: normalize(join(dirname(file), match[1] ?? match[2])),
  }));
}

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(join(PROJECT_ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    // dashboard/static holds the built bundle, not sources.
    if (entry.isDirectory && path !== "dashboard/static") files.push(...await sourceFiles(path));
    else if (entry.isFile && /\.tsx?$/.test(entry.name)) files.push(path);
  }
  return files;
}

async function projectImports(): Promise<ImportEdge[]> {
  const files = [...await sourceFiles("src"), ...await sourceFiles("dashboard"), "main.ts"];
  const edges: ImportEdge[] = [];
  for (const file of files) {
    edges.push(...importsOf(file, await Deno.readTextFile(join(PROJECT_ROOT, file))));
  }
  return edges;
}

Deno.test("every import of src/, dashboard/ and main.ts points one way", async () => {
  const edges = await projectImports();
  // The scan sees the imports it must judge (a broken pattern would pass everything).
  assert.ok(edges.some((edge) => edge.file === "main.ts" && edge.imported === "src/pipeline.ts"));
  assert.ok(edges.some((edge) => edge.imported === "src/cleaning/clean_worker.ts"));
  assert.deepEqual(forbiddenImports(edges), []);
});

Deno.test("the layers of src/, dashboard/ and main.ts import each other in no cycle", async () => {
  assert.deepEqual(layerCycles(await projectImports()), []);
});

Deno.test("src/io installs no signal handler and never exits the process", async () => {
  for (const file of await sourceFiles("src/io")) {
    const text = await Deno.readTextFile(join(PROJECT_ROOT, file));
    assert.doesNotMatch(text, /Deno\.(exit|addSignalListener)\(/, file);
  }
});

/** [what the case is, file, its text, the forbidden lines expected]. */
const IMPORT_CASES: [string, string, string, string[]][] = [
  ["a stage importing the CLI layer", "src/cleaning/command.ts", 'from "../cli/errors.ts";', []],
  [
    "a rule importing the lookups",
    "src/cleaning/rules/region.ts",
    'from "../../lookups/keys.ts"',
    [],
  ],
  ["a file of its own layer", "src/lookups/suggestions/x.ts", 'from "../keys.ts"', []],
  [
    "dashboard importing src",
    "dashboard/lib/a.ts",
    'import type { A } from "../../src/io/a.ts"',
    [],
  ],
  ["a bare specifier is not judged", "src/io/a.ts", 'import { Command } from "commander";', []],
  [
    "src/io importing the CLI layer",
    "src/io/atomic_file.ts",
    'import { runCommand } from "../cli/errors.ts";',
    ["src/io/atomic_file.ts → src/cli/errors.ts (src/io may import nothing)"],
  ],
  [
    "the lookups importing the cleaning (a dynamic import)",
    "src/lookups/command.ts",
    'const { cleanData } = await import("../cleaning/clean_data.ts");',
    [
      "src/lookups/command.ts → src/cleaning/clean_data.ts (src/lookups may import src/io, src/cli)",
    ],
  ],
  [
    "src importing dashboard (a re-export over two lines)",
    "src/pipeline.ts",
    'export {\n  serveDashboard,\n} from "../dashboard/server.ts";',
    [
      "src/pipeline.ts → dashboard/server.ts (src may import src/io, src/cli, src/generation, " +
      "src/lookups, src/cleaning, src/aggregations)",
    ],
  ],
  [
    "a worker module of another stage",
    "src/generation/block_pool.ts",
    'new Worker(new URL("../cleaning/clean_worker.ts", import.meta.url))',
    [
      "src/generation/block_pool.ts → src/cleaning/clean_worker.ts (src/generation may import " +
      "src/io, src/cli)",
    ],
  ],
  [
    "a file outside every layer",
    "dashboard/screenshots.ts",
    'import { x } from "../bench/main.ts";',
    ["dashboard/screenshots.ts → bench/main.ts (a file outside the layers of ALLOWED_IMPORTS)"],
  ],
];

for (const [name, file, text, expected] of IMPORT_CASES) {
  Deno.test(`forbiddenImports: ${name}`, () => {
    assert.deepEqual(forbiddenImports(importsOf(file, text)), expected);
  });
}

/** [what the case is, edges as [file, imported], the cycles expected]. */
const CYCLE_CASES: [string, [string, string][], string[]][] = [
  ["one way", [["src/cleaning/a.ts", "src/lookups/b.ts"], ["src/lookups/b.ts", "src/io/c.ts"]], []],
  [
    "within a stage and its subfolder",
    [["src/cleaning/a.ts", "src/cleaning/dedup/b.ts"], [
      "src/cleaning/dedup/b.ts",
      "src/cleaning/a.ts",
    ]],
    [],
  ],
  [
    "two stages importing each other",
    [["src/cleaning/a.ts", "src/lookups/b.ts"], ["src/lookups/c.ts", "src/cleaning/rules/d.ts"]],
    ["src/cleaning → src/lookups → src/cleaning"],
  ],
  [
    "three layers in a ring",
    [
      ["src/io/a.ts", "src/cli/b.ts"],
      ["src/cli/b.ts", "src/pipeline.ts"],
      ["src/pipeline.ts", "src/io/a.ts"],
    ],
    ["src → src/io → src/cli → src"],
  ],
];

for (const [name, pairs, expected] of CYCLE_CASES) {
  Deno.test(`layerCycles: ${name}`, () => {
    const edges = pairs.map(([file, imported]) => ({ file, imported }));
    assert.deepEqual(layerCycles(edges), expected);
  });
}

Deno.test("ALLOWED_IMPORTS itself has no cycle, so following it cannot make one", () => {
  const edges = Object.entries(ALLOWED_IMPORTS).flatMap(([from, targets]) =>
    targets.map((to) => ({ file: fileIn(from), imported: fileIn(to) }))
  );
  assert.ok(edges.length > 20);
  assert.deepEqual(layerCycles(edges), []);
});

/** A file that {@linkcode layerOf} puts in `layer`. */
function fileIn(layer: string): string {
  if (layer === "src") return "src/x.ts";
  if (layer === "main.ts" || layer === "deno.json") return layer;
  return `${layer}/x.ts`;
}
