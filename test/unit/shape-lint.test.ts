// The check `npm run lint` adds to Biome (tools/lint/shape.ts): it must find what it exists to
// find, at the right line, and pass the code as it is.
import { expect, test } from 'vitest';
import { check, LONG_FUNCTIONS_ALLOWED, layout, longFunctions, MAX_FUNCTION_LINES, MAX_LINE_WIDTH } from '../../tools/lint/shape.js';

/** A function declaration spanning `lines` lines in all, after `before` blank lines. */
function functionOf(lines: number, before = 0): string {
  const body = Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i};`);
  return `${'\n'.repeat(before)}function f(): void {\n${body.join('\n')}\n}\n`;
}

test('a function of MAX_FUNCTION_LINES lines passes, one line more is named with its line and length', () => {
  expect(longFunctions('a.ts', functionOf(MAX_FUNCTION_LINES))).toEqual([]);
  expect(longFunctions('a.ts', functionOf(MAX_FUNCTION_LINES + 1, 3))).toEqual([
    { file: 'a.ts', line: 4, message: `function f spans ${MAX_FUNCTION_LINES + 1} lines (at most ${MAX_FUNCTION_LINES})` },
  ]);
});

test('methods, arrow functions and AssemblyScript with decorators are measured too', () => {
  const body = Array.from({ length: MAX_FUNCTION_LINES }, () => '    x++;').join('\n');
  const klass = `class C {\n  m(): void {\n${body}\n  }\n}\n`;
  expect(longFunctions('c.ts', klass).map((f) => f.message)).toEqual([`function m spans ${MAX_FUNCTION_LINES + 2} lines (at most 80)`]);
  const arrow = `const g = (): void => {\n${body}\n};\n`;
  expect(longFunctions('g.ts', arrow).map((f) => f.line)).toEqual([1]);
  const decorated = `// @ts-ignore: decorator\n@inline function h<T>(x: T): T {\n${body}\n  return <T>x;\n}\n`;
  expect(longFunctions('h.ts', decorated).map((f) => f.message)).toEqual([`function h spans ${MAX_FUNCTION_LINES + 3} lines (at most 80)`]);
});

test('layout: line width, trailing whitespace, tabs, carriage returns and the final newline', () => {
  expect(layout('ok.ts', `${'x'.repeat(MAX_LINE_WIDTH)}\n// −∞ counts as one character\n`)).toEqual([]);
  expect(layout('bad.ts', `ok\n${'x'.repeat(MAX_LINE_WIDTH + 1)}\nend \n\tx\r\nlast`)).toEqual([
    { file: 'bad.ts', line: 5, message: 'no final newline' },
    { file: 'bad.ts', line: 2, message: `line of ${MAX_LINE_WIDTH + 1} characters (at most ${MAX_LINE_WIDTH})` },
    { file: 'bad.ts', line: 3, message: 'trailing whitespace' },
    { file: 'bad.ts', line: 4, message: 'a carriage return (line ends are LF)' },
    { file: 'bad.ts', line: 4, message: 'a tab (indents are spaces)' },
  ]);
});

test('src/ and assembly/ pass, with no function allowed past the limit', () => {
  expect(LONG_FUNCTIONS_ALLOWED.size).toBe(0);
  expect(check(new URL('../../', import.meta.url).pathname)).toEqual([]);
});
