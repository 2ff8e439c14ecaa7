// Fails when a module under src/ or webview/ exports a symbol that shipped code never uses: not imported by
// another shipped module and not used in its own module either. Such an export is dead, or kept alive only by
// tests (then the test should go through the real caller). A helper the module itself uses may stay exported for
// its unit test. Run by `npm run lint`; entry points that VS Code reaches by name are allowlisted.
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');

/** Exports reached without an import: VS Code calls activate/deactivate, the integration tests type the test build's
 * hooks with TestingApi and ResultsTestState (testHooks.ts). */
const ALLOWED = new Set(['activate', 'deactivate', 'TestingApi', 'ResultsTestState']);
/** The bundles' entry points (esbuild.mjs); every other module must be imported by one of them, transitively. */
const ENTRY_POINTS = new Set(['src/extension.ts', 'webview/results.ts', 'webview/activity/main.ts']);

function program(): ts.Program {
  const options: ts.CompilerOptions = { ...readOptions('tsconfig.json'), lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] };
  const files = ts.sys
    .readDirectory(path.join(ROOT, 'src'), ['.ts'])
    .concat(ts.sys.readDirectory(path.join(ROOT, 'webview'), ['.ts']))
    .filter((f) => !f.endsWith('.d.ts'));
  return ts.createProgram(files, options);
}

function readOptions(file: string): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(ROOT, file), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** Names each module exports, by file. */
function exportsOf(source: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const e of statement.exportClause.elements) names.push(e.name.text);
    } else if (exported && ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if (exported && 'name' in statement && statement.name && ts.isIdentifier(statement.name as ts.Node)) {
      names.push((statement.name as ts.Identifier).text);
    }
  }
  return names;
}

/** True when `name` occurs in its own module beyond its declaration. */
function usedLocally(source: ts.SourceFile, name: string): boolean {
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) count++;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return count > 1;
}

function main(): void {
  const prog = program();
  const options = prog.getCompilerOptions();
  const sources = prog.getSourceFiles().filter((s) => !s.isDeclarationFile && !rel(s.fileName).startsWith('node_modules'));
  /** file → names imported from it by some other module ('*' = all). */
  const used = new Map<string, Set<string>>();
  const use = (file: string, name: string) => {
    const set = used.get(file) ?? new Set<string>();
    set.add(name);
    used.set(file, set);
  };
  for (const source of sources) {
    for (const statement of source.statements) {
      if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) continue;
      const spec = (statement.moduleSpecifier as ts.StringLiteral).text;
      const target = ts.resolveModuleName(spec, source.fileName, options, ts.sys).resolvedModule?.resolvedFileName;
      if (!target || target.includes('node_modules')) continue;
      if (ts.isExportDeclaration(statement)) {
        if (!statement.exportClause) use(target, '*');
        else if (ts.isNamedExports(statement.exportClause)) for (const e of statement.exportClause.elements) use(target, (e.propertyName ?? e.name).text);
        continue;
      }
      const clause = statement.importClause;
      if (!clause) continue;
      if (clause.name) use(target, 'default');
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) use(target, '*');
      else if (bindings) for (const e of bindings.elements) use(target, (e.propertyName ?? e.name).text);
    }
  }
  const dead: string[] = [];
  for (const source of sources) {
    const names = used.get(source.fileName);
    if (!names && !ENTRY_POINTS.has(rel(source.fileName))) {
      dead.push(`${rel(source.fileName)}: the whole module (nothing imports it)`);
      continue;
    }
    if (names?.has('*')) continue;
    for (const name of exportsOf(source)) {
      const id = `${rel(source.fileName)}: ${name}`;
      if (!names?.has(name) && !ALLOWED.has(name) && !usedLocally(source, name)) dead.push(id);
    }
  }
  if (dead.length) {
    console.error(`Exports no shipped module imports (delete them, or stop exporting):\n  ${dead.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`dead-exports: ${sources.length} modules, every export is imported`);
}

main();
