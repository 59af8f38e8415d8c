/**
 * Small whole-number ids for string values, so group keys are numbers (cheap to hash and to combine
 * into pairs) instead of concatenated strings made per row.
 *
 * Ids are local to one thread: a worker's ids mean nothing to the main thread, so accumulator
 * states cross threads as strings and are re-keyed on merge.
 */
import { UserError } from "../io/errors.ts";

/** V8's Map holds at most 2^24 entries. */
const MAX_IDS = 2 ** 24;

/** The ids of one column's values. */
export class StringIds {
  readonly #decoder = new TextDecoder();
  readonly #ids = new Map<string, number>();
  readonly #names: string[] = [];

  /** The id of `name`, assigned on first sight. */
  id(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#names.length;
      if (id === MAX_IDS) {
        throw new UserError(`more than ${MAX_IDS} distinct values in one column to group by`);
      }
      this.#ids.set(name, id);
      this.#names.push(name);
    }
    return id;
  }

  /** The id of a string given as UTF-8 bytes: a `parseString` for `readRows`. */
  idOfBytes = (bytes: Uint8Array): number => this.id(this.#decoder.decode(bytes));

  /** The string an id stands for. */
  name(id: number): string {
    return this.#names[id];
  }

  get size(): number {
    return this.#names.length;
  }
}

/** One {@linkcode StringIds} per column, shared by every table of a thread. */
export class StringIdRegistry {
  readonly #byColumn = new Map<string, StringIds>();

  for(column: string): StringIds {
    let ids = this.#byColumn.get(column);
    if (!ids) {
      ids = new StringIds();
      this.#byColumn.set(column, ids);
    }
    return ids;
  }
}
