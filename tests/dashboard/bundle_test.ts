/**
 * The committed island bundle must be built from the committed sources: the compiled binary and a
 * fresh clone serve it as is. When this fails, run `deno task bundle` and commit
 * `dashboard/static/islands/`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { BUNDLE_DIR, bundleSourceHash, readManifest } from "../../dashboard/bundle.ts";

Deno.test("the committed island bundle matches the island sources", async () => {
  const manifest = await readManifest();
  assert.ok(manifest, "dashboard/static/islands/manifest.json is missing: run `deno task bundle`");
  assert.equal(
    manifest.sourceHash,
    await bundleSourceHash(),
    "the islands changed since the bundle was built: run `deno task bundle` and commit the result",
  );
  for (const file of manifest.files) {
    const info = await Deno.stat(join(BUNDLE_DIR, file));
    assert.ok(info.size > 0, file);
  }
  // JSX compiled with react-jsx (hydratable), not precompiled template strings.
  const client = await Deno.readTextFile(join(BUNDLE_DIR, "client.js"));
  assert.ok(client.includes("data-island") || client.includes("[data-island]"));
  assert.ok(!client.includes("jsxTemplate"), "precompiled JSX does not hydrate");
});
