// `npm run lint`'s second half: what Biome cannot check. Every function in src/ and assembly/ fits
// on a screen (at most MAX_FUNCTION_LINES lines, from its first line to its closing brace), and assembly/, which Biome cannot parse
// (AssemblyScript's decorators on functions), keeps .editorconfig's rules and Biome's line width.
// Prints file:line and the measure for each finding; exit status 1 if there is any.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const MAX_FUNCTION_LINES = 80;
export const MAX_LINE_WIDTH = 140;

/**
 * Functions allowed a longer body, as "file:name": only the math polynomial routines, whose
 * straight-line evaluation reads best unbroken. Empty today: none exceeds the limit.
 */
export const LONG_FUNCTIONS_ALLOWED: ReadonlySet<string> = new Set<string>([]);

export interface Finding {
  file: string;
  line: number;
  message: string;
}

function nameOf(node: ts.FunctionLikeDeclaration): string {
  if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

/** Functions spanning more than MAX_FUNCTION_LINES lines, from the first line of their declaration to their closing brace. */
export function longFunctions(file: string, text: string): Finding[] {
  // AssemblyScript parses as TypeScript well enough to find every function; the syntax errors it
  // reports (decorators on functions) do not matter here.
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body && ts.isBlock(node.body)) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      const name = nameOf(node as ts.FunctionLikeDeclaration);
      if (lines > MAX_FUNCTION_LINES && !LONG_FUNCTIONS_ALLOWED.has(`${file}:${name}`)) {
        findings.push({ file, line: first + 1, message: `function ${name} spans ${lines} lines (at most ${MAX_FUNCTION_LINES})` });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** .editorconfig's rules and Biome's line width, for the files Biome does not read. */
export function layout(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split('\n');
  if (text.length > 0 && !text.endsWith('\n')) findings.push({ file, line: lines.length, message: 'no final newline' });
  lines.forEach((content, i) => {
    if (content.includes('\r')) findings.push({ file, line: i + 1, message: 'a carriage return (line ends are LF)' });
    if (/[ \t]$/.test(content)) findings.push({ file, line: i + 1, message: 'trailing whitespace' });
    if (content.includes('\t')) findings.push({ file, line: i + 1, message: 'a tab (indents are spaces)' });
    const width = [...content].length;
    if (width > MAX_LINE_WIDTH) findings.push({ file, line: i + 1, message: `line of ${width} characters (at most ${MAX_LINE_WIDTH})` });
  });
  return findings;
}

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export function check(root: string): Finding[] {
  const findings: Finding[] = [];
  for (const dir of ['src', 'assembly']) {
    for (const path of typescriptFiles(join(root, dir))) {
      const file = relative(root, path);
      const text = readFileSync(path, 'utf8');
      findings.push(...longFunctions(file, text));
      if (dir === 'assembly') findings.push(...layout(file, text));
    }
  }
  return findings;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const findings = check(process.cwd());
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.message}`);
  if (findings.length > 0) process.exit(1);
}
