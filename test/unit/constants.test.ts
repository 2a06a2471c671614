// The vector math's constants are written as bit patterns with their value in a comment (a hex
// float, or a plain number for the exact ones). A typo in the bits changes every result by a little
// that the accuracy bounds may not notice; this holds the bits to the comment, and every lane of a
// splatted constant to the first.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const DIR = new URL('../../assembly/math/', import.meta.url);

interface Constant {
  where: string;
  type: 'u32' | 'u64';
  lanes: bigint[];
  comment: string;
}

/** Every `memory.data<u32|u64>([…], 16)` line with a trailing comment, in every file of the folder. */
function constants(): Constant[] {
  const found: Constant[] = [];
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    readFileSync(new URL(file, DIR), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const m = /memory\.data<(u32|u64)>\(\[([^\]]*)\][^;]*;\s*\/\/\s*(.*)$/.exec(line);
        if (!m) return;
        const lanes = m[2]!.split(',').map((s) => BigInt(s.trim()));
        found.push({ where: `${file}:${i + 1}`, type: m[1] as 'u32' | 'u64', lanes, comment: m[3]!.trim() });
      });
  }
  return found;
}

/** The number a comment opens with: a hex float (0x1.5554dcp-3), a decimal, or ±∞; undefined for prose. */
function commentValue(comment: string): number | undefined {
  const text = comment.replace(/^[−-]/, '-').replace(/^\+/, '');
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  let value: number | undefined;
  const hex = /^0x([0-9a-f]+)(?:\.([0-9a-f]*))?p([+-]?\d+)\b/i.exec(body);
  const decimal = /^(\d+(?:\.\d+)?)(?=$|:|\s*=|\s+[^\s+\-*/×])/.exec(body); // not the start of a sum (127 + 64)
  if (hex) {
    const digits = hex[2] ?? '';
    // exact: at most 53 significant bits, scaled by a power of two
    value = Number(BigInt(`0x${hex[1]}${digits}`)) * 2 ** (Number(hex[3]) - 4 * digits.length);
  } else if (body.startsWith('∞')) {
    value = Infinity;
  } else if (decimal) {
    value = Number(decimal[1]);
  }
  return value === undefined ? undefined : negative ? -value : value;
}

function bitsOf(value: number, type: 'u32' | 'u64'): bigint {
  if (type === 'u32') return BigInt(new Uint32Array(new Float32Array([value]).buffer)[0]!);
  return new BigUint64Array(new Float64Array([value]).buffer)[0]!;
}

const all = constants();
const valued = all.filter((c) => commentValue(c.comment) !== undefined);

test('the constants are found (the parser still reads the source)', () => {
  expect(valued.length).toBeGreaterThanOrEqual(50);
  expect(valued.map((c) => c.where)).toContain('exp.ts:24'); // Q1_32
});

test('every lane of a splatted constant is the same', () => {
  for (const c of all) expect(new Set(c.lanes).size, c.where).toBe(1);
  for (const c of all) expect(c.lanes.length, c.where).toBe(c.type === 'u32' ? 4 : 2);
});

test("each constant's bits are the value its comment gives", () => {
  const wrong: string[] = [];
  for (const c of valued) {
    const value = commentValue(c.comment)!;
    // a float32 constant's comment must itself be a float32 value, not one rounded on the way
    if (c.type === 'u32' && Math.fround(value) !== value) wrong.push(`${c.where}: ${c.comment} is not a float32`);
    const want = bitsOf(value, c.type);
    if (c.lanes[0] !== want) wrong.push(`${c.where}: 0x${c.lanes[0]!.toString(16)} but ${c.comment} is 0x${want.toString(16)}`);
  }
  expect(wrong).toEqual([]);
});

test('the comment parser reads hex floats, decimals and infinities exactly', () => {
  expect(commentValue('0x1.5554dcp-3')).toBe(0x15554dc * 2 ** -27);
  expect(commentValue('−0x1.5555555555555p-4 more')).toBe(-(0x15555555555555 * 2 ** -56));
  expect(commentValue('-0x1.2cp+7 = −150: e^x …')).toBe(-150);
  expect(commentValue('0x1p-1')).toBe(0.5);
  expect(commentValue('0.05')).toBe(0.05);
  expect(commentValue('−1400: e^x rounds')).toBe(-1400);
  expect(commentValue('+∞')).toBe(Infinity);
  expect(commentValue('−∞')).toBe(-Infinity);
  expect(commentValue('−0: the sign bit')).toBe(-0);
  expect(commentValue('exponent bias')).toBeUndefined();
  expect(commentValue('127 + 64')).toBeUndefined();
  expect(bitsOf(-0, 'u32')).toBe(0x80000000n);
});
