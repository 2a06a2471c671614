// wasmPointer and rederive, the two questions the call paths ask of every argument: where in wasm
// memory does it live (-1: nowhere, copy it), and what is it now that memory has grown. A WasmArray
// or a view it handed out gives its offset; a freed one, or one of an instance a later init()
// replaced, is refused by name, even where no earlier check read it; so is its `.array`.
import { beforeEach, describe, expect, test } from 'vitest';
import { rederive, wasmPointer } from '../../src/core/memory.js';
import { alloc, initSync, memory, mse } from '../../src/node.js';
import { BUILDS, refusal } from '../helpers.js';

beforeEach(() => {
  initSync(BUILDS[0].bytes);
});

const FREED = 'f: x is a view of a WasmArray that was freed or belongs to a replaced instance';

describe('wasmPointer', () => {
  test('a WasmArray and the view it hands out give its offset; anything else -1', () => {
    const a = alloc(8, 'f64');
    expect(wasmPointer('f', 'x', a)).toBe(a.ptr);
    expect(wasmPointer('f', 'x', a.array)).toBe(a.ptr);
    const copy = new Float64Array(memory().buffer, a.ptr, 8); // the same bytes, not a view it handed out
    expect(wasmPointer('f', 'x', copy)).toBe(-1);
    expect(wasmPointer('f', 'x', new Float64Array(8))).toBe(-1);
    expect(wasmPointer('f', 'x', undefined)).toBe(-1);
  });

  test('a freed WasmArray and its view are refused, naming the argument', () => {
    const a = alloc(8);
    const view = a.array;
    a.free();
    expect(refusal(() => wasmPointer('f', 'x', a))).toEqual([FREED, 'x']);
    expect(refusal(() => wasmPointer('f', 'x', view))).toEqual([FREED, 'x']);
  });

  test('a WasmArray of a replaced instance and its view are refused', () => {
    const a = alloc(8);
    const view = a.array;
    initSync(BUILDS[0].bytes);
    expect(refusal(() => wasmPointer('f', 'x', a))).toEqual([FREED, 'x']);
    expect(refusal(() => wasmPointer('f', 'x', view))).toEqual([FREED, 'x']);
  });
});

describe('WasmArray.array', () => {
  test('of a freed WasmArray, or of one a later init() replaced, is refused with its whole message', () => {
    const freed = alloc(8);
    freed.free();
    expect(refusal(() => freed.array)).toEqual(['WasmArray: used after free()', 'WasmArray']);
    const replaced = alloc(8);
    initSync(BUILDS[0].bytes);
    expect(refusal(() => replaced.array)).toEqual(['WasmArray: it belongs to an instance that a later init() replaced', 'WasmArray']);
  });
});

describe('a WasmArray passed to a loss', () => {
  test('of a replaced instance is refused by the argument it was given as', () => {
    const pred = alloc(4);
    initSync(BUILDS[0].bytes);
    expect(refusal(() => mse(new Float32Array(4), pred))).toEqual([
      'mse: pred is a WasmArray of an instance that a later init() replaced',
      'pred',
    ]);
  });

  test('keeps its view, the same object, until memory grows: calls and reads make no new one', () => {
    const a = alloc(8);
    const view = a.array;
    expect(a.array).toBe(view);
    expect(mse(a, a)).toBe(0);
    expect(a.array).toBe(view);
    memory().grow(1);
    expect(a.array === view).toBe(false); // detached by growth: derived again
  });
});

describe('rederive', () => {
  test('a view detached by growth is replaced by its WasmArray’s current view; anything else is itself', () => {
    const a = alloc(8);
    const view = a.array;
    memory().grow(1);
    expect(view.length).toBe(0); // detached
    const again = rederive(view) as Float32Array;
    expect(again).toBe(a.array);
    expect([again.length, again.byteOffset]).toEqual([8, a.ptr]);
    expect(rederive(a)).toBe(a);
    const plain = new Float32Array(3);
    expect(rederive(plain)).toBe(plain);
    a.free();
    expect(rederive(view)).toBe(view); // a freed WasmArray's view is left for wasmPointer to refuse
  });
});
