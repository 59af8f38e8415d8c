/** `run-dashboard` as a user runs it: defaults, `--json`, `--help`, and flag errors. */
import assert from "node:assert/strict";
import { join } from "node:path";

const MAIN = join(import.meta.dirname!, "..", "..", "main.ts");

function dpd(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

async function firstLine(stream: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  reader.releaseLock();
  return text.split("\n")[0];
}

Deno.test("run-dashboard listens on 127.0.0.1 by default and says where", async () => {
  const workspace = await Deno.makeTempDir({ prefix: "dpd-run-dashboard-" });
  const child = dpd([
    "run-dashboard",
    "--port",
    "0",
    "--json",
    "--data-dir",
    join(workspace, "data"),
    "--lookups-dir",
    join(workspace, "lookups"),
  ]);
  try {
    const summary = JSON.parse(await firstLine(child.stdout));
    assert.equal(summary.command, "run-dashboard");
    assert.equal(summary.host, "127.0.0.1");
    assert.match(summary.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(typeof summary.peak_rss_bytes, "number");
    // An empty workspace still serves, with a page that says what to run.
    const page = await fetch(new URL("/explorer", summary.url));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /No aggregations yet/);
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await child.stderr.cancel();
    await child.stdout.cancel().catch(() => {});
    await Deno.remove(workspace, { recursive: true });
  }
});

Deno.test("run-dashboard --help shows the flags and an example", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "run-dashboard", "--help"],
    env: { NO_COLOR: "1" },
  }).output();
  const help = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0);
  for (const flag of ["--host", "--port", "--data-dir", "--lookups-dir", "Example:"]) {
    assert.ok(help.includes(flag), flag);
  }
  assert.match(help, /default: "127\.0\.0\.1"/);
});

Deno.test("a bad port or a port in use is one line and exit 1", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const cases: [string[], RegExp][] = [
      [["--port", "99999"], /expected a port from 0 to 65535/],
      [["--port", String((listener.addr as Deno.NetAddr).port)], /is in use/],
    ];
    for (const [flags, message] of cases) {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", MAIN, "run-dashboard", ...flags, "--data-dir", "/nonexistent-dpd"],
        env: { NO_COLOR: "1" },
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      assert.equal(output.code, 1, stderr);
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    }
  } finally {
    listener.close();
  }
});
