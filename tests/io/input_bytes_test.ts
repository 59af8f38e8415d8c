import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { UserError } from "../../src/io/errors.ts";
import { openInputBytes, stripBom } from "../../src/io/input_bytes.ts";

Deno.test("stripBom() skips exactly one leading UTF-8 BOM", () => {
  const cases: [number[], number][] = [
    [[0xef, 0xbb, 0xbf, 0x61], 3],
    [[0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], 3],
    [[0xef, 0xbb], 0],
    [[0x61, 0xef, 0xbb, 0xbf], 0],
    [[], 0],
  ];
  for (const [bytes, expected] of cases) assert.equal(stripBom(Uint8Array.from(bytes)), expected);
});

Deno.test("openInputBytes() streams plain and gzipped files, counting bytes read on disk", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd_input_test_" });
  try {
    // Several 1 MiB reads, and bytes that are not text.
    const content = Uint8Array.from({ length: 3_000_000 }, (_, index) => (index * 7919) % 251);
    const files = { "data.bin": content, "data.bin.gz": gzipSync(content) };
    for (const [name, onDisk] of Object.entries(files)) {
      const path = join(directory, name);
      await Deno.writeFile(path, onDisk);
      const input = await openInputBytes(path);
      assert.equal(input.totalBytes, onDisk.length);
      const chunks = await Array.fromAsync(input.stream);
      assert.ok(chunks.every((chunk) => chunk.constructor === Uint8Array), "plain Uint8Arrays");
      const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
      let offset = 0;
      for (const chunk of chunks) {
        joined.set(chunk, offset);
        offset += chunk.length;
      }
      assert.deepEqual(joined, content, name);
      assert.equal(input.bytesRead(), onDisk.length, name);
    }
    await assert.rejects(
      openInputBytes(join(directory, "nope.csv")),
      (error) => error instanceof UserError && /not found: .*nope\.csv/.test(error.message),
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
