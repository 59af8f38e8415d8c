/**
 * The fault-injection hook of the tests (tests/faults/): with `DPD_TEST_PAUSE_AFTER=<step>` in
 * the environment, the process prints `dpd: paused after <step>` on stderr when it reaches that
 * step and waits there until it is killed, so a test can kill it at an exact point. Steps:
 * `started` (every command, signal handlers installed) and the publish steps of
 * src/io/publish.ts (`written`, `locked`, `recorded`, `renamed-<n>`, `published`). Without the
 * variable this is one environment lookup.
 *
 * @example Mark a step a fault test can stop at
 * ```ts
 * await Deno.writeTextFile("out.tmp", "complete");
 * await pauseAfter("written"); // DPD_TEST_PAUSE_AFTER=written stops the process here
 * await Deno.rename("out.tmp", "out.txt");
 * ```
 */
export async function pauseAfter(step: string): Promise<void> {
  if (Deno.env.get("DPD_TEST_PAUSE_AFTER") !== step) return;
  Deno.stderr.writeSync(new TextEncoder().encode(`dpd: paused after ${step}\n`));
  while (true) await new Promise((resolve) => setTimeout(resolve, 1000));
}
