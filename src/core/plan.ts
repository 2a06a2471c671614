/**
 * A call plan: what a loss parsed out of an options object, kept for the next call with the very same
 * object (a training loop passes one object to every mini-batch). The object is the caller's and may
 * change between calls, so a plan holds the value of every option it read and the object's enumerable
 * keys (those a for-in sees, the ones the name check reads), and is used only when all of them are the
 * same: a changed value, or a key added, deleted or renamed (a misspelt one included), parses the
 * object again, with every check and message of a first call.
 */

/** The keys a for-in over `o` gives, in its order (inherited enumerable keys included, as the name check reads them). */
export function keysOf(o: object): string[] {
  const keys: string[] = [];
  for (const key in o) keys.push(key);
  return keys;
}

/** Whether a for-in over `o` gives exactly `keys`, in that order (no allocation: a plan is checked on every call). */
export function sameKeys(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in o) {
    if (i === keys.length || key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

/** The same option value: `===`, except that 0 and -0 differ (a kernel parameter of -0 may give other numbers than 0). */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b && (a !== 0 || 1 / (a as number) === 1 / (b as number));
}

/**
 * Whether `o` still holds what a plan read of the loss's own options — o[names[j]] equal to
 * read[at + j − from] for each j from `from` on — and gives the plan's keys.
 */
export function sameOptions(
  o: Record<string, unknown>,
  names: readonly string[],
  from: number,
  read: readonly unknown[],
  at: number,
  keys: readonly string[],
): boolean {
  for (let j = from, k = at; j < names.length; j++, k++) if (!sameValue(o[names[j]!], read[k])) return false;
  return sameKeys(o, keys);
}
