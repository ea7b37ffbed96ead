import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layering rules `npm test` enforces (tests/unit/architecture.test.ts), read from the source
 * with TypeScript's parser (a whole-repo run takes about a second, where dependency-cruiser took
 * 10-20 s of the test budget):
 * - no import cycle, type-only imports included (a type cycle is still two modules that cannot be
 *   understood one without the other);
 * - better-sqlite3 is imported only inside the store folder;
 * - no SQL outside the store folder: `.prepare(` / `.pragma(` calls, `.exec(` on anything but a
 *   regular expression, `.transaction(` on a database handle, and string literals shaped like SQL.
 */
export interface ArchitectureReport {
  /** Each cycle once, as the files in it (relative to the root). */
  cycles: string[][];
  /** Files outside the store importing better-sqlite3. */
  sqliteImports: string[];
  /** `file:line  what` for every SQL use outside the store. */
  sql: string[];
}

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const SQL_TEXT = [
  /\bSELECT\b[\s\S]*\bFROM\b/,
  /\bINSERT\s+(OR\s+\w+\s+)?INTO\b/,
  /\bUPDATE\s+\w+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\bCREATE\s+(TEMP\s+|VIRTUAL\s+)?TABLE\b/,
];
const DB_NAME = /(^db$|Db$|^database$|Database$)/;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') sourceFiles(p, out);
    } else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(js|mjs|cjs)$/, '');
  for (const c of [base, `${stem}.ts`, `${stem}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return null;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || graph.get(v)?.has(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** Checks every source file under `dirs` (relative to `root`); `store` is the folder allowed to hold SQL. */
export function checkArchitecture(root: string, dirs: string[], store: string): ArchitectureReport {
  const storeDir = path.resolve(root, store) + path.sep;
  const files = dirs.flatMap((d) => sourceFiles(path.resolve(root, d)));
  const graph = new Map<string, Set<string>>();
  const sqliteImports: string[] = [];
  const sql: string[] = [];
  const rel = (f: string) => path.relative(root, f);

  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const inStore = file.startsWith(storeDir);
    const deps = new Set<string>();
    graph.set(file, deps);
    const regexNames = new Set<string>();
    const where = (n: ts.Node) => `${rel(file)}:${src.getLineAndCharacterOfPosition(n.getStart(src)).line + 1}`;
    const imported = (spec: string) => {
      if (spec === 'better-sqlite3' && !inStore) sqliteImports.push(rel(file));
      const to = resolveImport(file, spec);
      if (to) deps.add(to);
    };
    // Names bound to a regular expression literal, so `PARTS.exec(s)` is not taken for SQL.
    const collect = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isRegularExpressionLiteral(n.initializer)) regexNames.add(n.name.text);
      ts.forEachChild(n, collect);
    };
    collect(src);
    const walk = (n: ts.Node): void => {
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) imported(n.moduleSpecifier.text);
      else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteral(n.moduleReference.expression)) imported(n.moduleReference.expression.text);
      else if (ts.isCallExpression(n)) {
        const [arg] = n.arguments;
        const isRequire = ts.isIdentifier(n.expression) && n.expression.text === 'require';
        if ((n.expression.kind === ts.SyntaxKind.ImportKeyword || isRequire) && arg && ts.isStringLiteralLike(arg)) imported(arg.text);
        if (!inStore && ts.isPropertyAccessExpression(n.expression)) {
          const method = n.expression.name.text;
          const recv = n.expression.expression;
          const recvName = ts.isIdentifier(recv) ? recv.text : ts.isPropertyAccessExpression(recv) ? recv.name.text : '';
          const regex = ts.isRegularExpressionLiteral(recv) || (ts.isIdentifier(recv) && regexNames.has(recv.text));
          if (method === 'prepare' || method === 'pragma' || (method === 'exec' && !regex) || (method === 'transaction' && DB_NAME.test(recvName))) {
            sql.push(`${where(n)}  .${method}( on ${recv.getText(src).slice(0, 40)}`);
          }
        }
      } else if (!inStore && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n))) {
        const body = ts.isTemplateExpression(n) ? n.getText(src) : n.text;
        if (SQL_TEXT.some((re) => re.test(body))) sql.push(`${where(n)}  SQL text ${JSON.stringify(body.replace(/\s+/g, ' ').slice(0, 60))}`);
        return;
      }
      ts.forEachChild(n, walk);
    };
    walk(src);
  }
  // A `db.prepare('SELECT ...')` is one finding, not two: one line per place.
  const seen = new Set<string>();
  const once = sql.filter((s) => {
    const at = s.slice(0, s.indexOf('  '));
    return !seen.has(at) && Boolean(seen.add(at));
  });
  return { cycles: cyclesOf(graph).map((c) => c.map(rel)), sqliteImports, sql: once };
}

/** The report as lines a person can act on (the test prints it when a rule fails). */
export function describeReport(r: ArchitectureReport): string {
  const lines: string[] = [];
  if (r.cycles.length) lines.push(`${r.cycles.length} import cycle(s):`, ...r.cycles.map((c) => `  ${c.join(' <-> ')}`));
  if (r.sqliteImports.length) lines.push(`better-sqlite3 imported outside the store (${r.sqliteImports.length}):`, ...r.sqliteImports.map((f) => `  ${f}`));
  if (r.sql.length) lines.push(`SQL outside the store (${r.sql.length}):`, ...r.sql.map((s) => `  ${s}`));
  return lines.join('\n');
}
