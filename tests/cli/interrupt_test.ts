/**
 * Ctrl-C in the middle of a run: dpd exits 130 and leaves no file behind, neither a temporary one
 * nor a half-written one under its final name.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { spawnDpd } from "../_dpd.ts";

const HEADER =
  "order_id,product_name,category,quantity,unit_price,discount_percent,region,sale_date,customer_email,revenue";

/** Every file under `directory`, relative; none when it is missing. */
async function filesUnder(directory: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (!entry.isDirectory) found.push(entry.name);
      else {
        const inner = await filesUnder(join(directory, entry.name));
        found.push(...inner.map((name) => `${entry.name}/${name}`));
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found;
}

/** Waits until a temporary output exists under `directory`, so the run is mid-write. */
async function untilWriting(directory: string, child: Deno.ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await filesUnder(directory)).some((name) => name.includes(".dpd-tmp-"))) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill("SIGKILL");
  await child.status;
  throw new Error(`no temporary output appeared under ${directory}`);
}

interface Case {
  name: string;
  /** Prepares the inputs in `directory`, returns the arguments and where outputs go. */
  prepare(directory: string): Promise<{ args: string[]; outputs: string }>;
}

const CASES: Case[] = [
  {
    name: "generate-data",
    prepare(directory) {
      const outputs = join(directory, "out");
      return Promise.resolve({
        args: ["generate-data", "--rows", "5000000", "--output", join(outputs, "dirty.csv")],
        outputs,
      });
    },
  },
  {
    name: "clean-data",
    async prepare(directory) {
      const input = join(directory, "input.csv");
      const row = "ORD-{id},Widget,Books,2,10.00,0.1,Europe,2026-01-15,a@b.co,18\n";
      const rows = Array.from(
        { length: 400_000 },
        (_, index) => row.replace("{id}", String(index).padStart(9, "0")),
      );
      await Deno.writeTextFile(input, `${HEADER}\n${rows.join("")}`);
      const outputs = join(directory, "data");
      return {
        args: ["clean-data", "--input", input, "--data-dir", outputs, "--as-of", "2026-11-28"],
        outputs,
      };
    },
  },
];

Deno.test("Ctrl-C mid-run: exit 130, no temporary or partial file left", async (t) => {
  for (const { name, prepare } of CASES) {
    await t.step(name, async () => {
      const directory = await Deno.makeTempDir({ prefix: `dpd-interrupt-${name}-` });
      const { args, outputs } = await prepare(directory);
      const child = spawnDpd([...args, "--quiet"], "null");
      await untilWriting(outputs, child);
      child.kill("SIGINT");
      const status = await child.status;
      assert.equal(status.code, 130);
      assert.deepEqual(await filesUnder(outputs), []);
      await Deno.remove(directory, { recursive: true });
    });
  }
});
