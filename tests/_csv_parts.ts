/**
 * A sales CSV split into a directory of files, the way exports arrive (a month per file, one of
 * them gzipped), and its concatenation: the inputs of the tests that compare the two.
 */
import { join } from "node:path";

/** `text` gzipped, as a `.csv.gz` holds it. */
export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Writes each part (file name → records) as `header` then its records into `directory` (made if
 * missing), gzipped when the name ends in `.gz`; returns the files' paths in the order given.
 */
export async function writeCsvParts(
  directory: string,
  header: string,
  parts: Record<string, readonly string[]>,
): Promise<string[]> {
  await Deno.mkdir(directory, { recursive: true });
  const paths: string[] = [];
  for (const [name, records] of Object.entries(parts)) {
    const text = [header, ...records].join("\n") + "\n";
    const path = join(directory, name);
    if (name.endsWith(".gz")) await Deno.writeFile(path, await gzip(text));
    else await Deno.writeTextFile(path, text);
    paths.push(path);
  }
  return paths;
}
