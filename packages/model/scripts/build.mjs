/**
 * Builds @kiln/model as `tsc -p tsconfig.build.json` does, and carries the TSDoc of the authoring
 * fields to where tsc drops it. The TSDoc comment on a schema's key is the one source of a field's
 * documentation; tsc's declarations print each schema's type expanded (`z.ZodObject<{ stage: …;
 * … }>`) without it, because zod's `z.strictObject` maps its shape (`util.Writeable`) and tsc copies
 * a property's comment only from a declaration of its own, in the same file. So:
 *
 * - every property of those expanded types in dist/*.d.ts gets its source comment back, which is
 *   what an editor shows on hover and in completion in environment and system files;
 * - dist/field-docs.json maps each field of an environment's input, by path (`targets.kubernetes.
 *   namespace`, `systems[].services[].ports[].name`, `overrides.*.replicas`), to its description and
 *   `@default`, which `environmentJsonSchema()` puts into the JSON Schema (`kiln schema`).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..');

const config = ts.getParsedCommandLineOfConfigFile(join(PACKAGE, 'tsconfig.build.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => report([diagnostic]),
});
if (config === undefined) process.exit(1);
const host = ts.createCompilerHost(config.options);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host, configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config) });
const checker = program.getTypeChecker();

const emitted = program.emit(undefined, (fileName, text, bom, onError, sources) => {
  const source = sources?.length === 1 ? sources[0] : undefined;
  host.writeFile(fileName, fileName.endsWith('.d.ts') && source !== undefined ? documented(text, source) : text, bom, onError, sources);
});
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
report(diagnostics);
if (diagnostics.some((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)) process.exit(1);
writeFileSync(join(config.options.outDir ?? join(PACKAGE, 'dist'), 'field-docs.json'), `${JSON.stringify(fieldDocs(), null, 2)}\n`);

function report(list) {
  if (list.length === 0) return;
  const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  process.stdout.write(format(list, { getCanonicalFileName: (name) => name, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' }));
}

/** A declaration file's text with the source comment put on each property of its expanded types that lacks one. */
function documented(text, source) {
  const declarations = ts.createSourceFile('out.d.ts', text, ts.ScriptTarget.Latest, true);
  const inserts = [];
  const typesInSource = new Map();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name)) typesInSource.set(declaration.name.text, checker.getTypeAtLocation(declaration.name));
    }
  }
  const visit = (node, type) => {
    if (ts.isTypeLiteralNode(node)) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || member.type === undefined) continue;
        const property = checker.getPropertyOfType(type, ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : '');
        if (property === undefined) continue;
        const comment = commentOf(property);
        if (comment !== undefined && ts.getJSDocCommentsAndTags(member).length === 0) inserts.push({ at: member.getStart(declarations), comment });
        visit(member.type, checker.getTypeOfSymbol(property));
      }
    } else if ((ts.isTypeReferenceNode(node) || ts.isImportTypeNode(node)) && node.typeArguments !== undefined) {
      const args = type.aliasTypeArguments ?? (type.flags & ts.TypeFlags.Object && type.objectFlags & ts.ObjectFlags.Reference ? checker.getTypeArguments(type) : []);
      node.typeArguments.forEach((argument, i) => args[i] !== undefined && visit(argument, args[i]));
    } else if (ts.isTupleTypeNode(node) && checker.isTupleType(type)) {
      const elements = checker.getTypeArguments(type);
      node.elements.forEach((element, i) => elements[i] !== undefined && visit(ts.isNamedTupleMember(element) ? element.type : element, elements[i]));
    } else if (ts.isArrayTypeNode(node) && checker.isArrayType(type)) {
      visit(node.elementType, checker.getTypeArguments(type)[0]);
    } else if (ts.isTypeOperatorNode(node) || ts.isParenthesizedTypeNode(node)) {
      visit(node.type, type);
    } else if (ts.isUnionTypeNode(node)) {
      // An object type in a union: the member of the union with the same property names.
      const members = type.isUnion() ? type.types : [type];
      for (const literal of node.types.filter(ts.isTypeLiteralNode)) {
        const names = literal.members.map((member) => member.name?.getText(declarations).replace(/^['"]|['"]$/g, '')).sort().join();
        const match = members.find((member) => checker.getPropertiesOfType(member).map((property) => property.name).sort().join() === names);
        if (match !== undefined) visit(literal, match);
      }
    }
  };
  for (const statement of declarations.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const type = ts.isIdentifier(declaration.name) ? typesInSource.get(declaration.name.text) : undefined;
      if (declaration.type !== undefined && type !== undefined) visit(declaration.type, type);
    }
  }
  let result = text;
  for (const { at, comment } of inserts.sort((a, b) => b.at - a.at)) {
    const indent = text.slice(text.lastIndexOf('\n', at - 1) + 1, at);
    const lines = comment.split('\n').map((line, i) => (i === 0 ? line : `${indent} ${line.trimStart()}`));
    result = `${result.slice(0, at)}${lines.join('\n')}\n${indent}${result.slice(at)}`;
  }
  return result;
}

/** The TSDoc comment of a property as written at its declaration, if it has one. */
function commentOf(property) {
  for (const declaration of property.declarations ?? []) {
    const doc = ts.getJSDocCommentsAndTags(declaration).filter(ts.isJSDoc).at(-1);
    if (doc !== undefined) return declaration.getSourceFile().text.slice(doc.pos, doc.end);
  }
  return undefined;
}

/**
 * Description and `@default` of every documented field of an environment's input, by path: `.` between
 * fields, `[]` for an array's items, `*` for a record's values. A union's members share their path.
 */
function fieldDocs() {
  const environment = program.getSourceFile(join(PACKAGE, 'src/environment.ts'));
  const alias = environment?.statements.find((statement) => ts.isTypeAliasDeclaration(statement) && statement.name.text === 'EnvironmentInput');
  if (alias === undefined) throw new Error('src/environment.ts no longer declares EnvironmentInput');
  const docs = {};
  const walk = (type, path, seen) => {
    for (const member of checker.getNonNullableType(type).isUnion() ? checker.getNonNullableType(type).types : [checker.getNonNullableType(type)]) {
      if (!(member.flags & ts.TypeFlags.Object) || seen.includes(member)) continue;
      const inner = [...seen, member];
      if (checker.isArrayType(member) || checker.isTupleType(member)) {
        for (const element of checker.getTypeArguments(member)) walk(element, `${path}[]`, inner);
        continue;
      }
      const values = checker.getIndexTypeOfType(member, ts.IndexKind.String);
      if (values !== undefined) walk(values, `${path}.*`, inner);
      for (const property of checker.getPropertiesOfType(member)) {
        const at = path === '' ? property.name : `${path}.${property.name}`;
        const description = ts.displayPartsToString(property.getDocumentationComment(checker)).trim();
        const tag = property.getJsDocTags(checker).find((t) => t.name === 'default');
        const doc = { description, ...(tag === undefined ? {} : { default: ts.displayPartsToString(tag.text).trim() }) };
        if (description !== '') {
          if (docs[at] !== undefined && JSON.stringify(docs[at]) !== JSON.stringify(doc)) throw new Error(`two fields at ${at} have different documentation: say which in one place`);
          docs[at] = doc;
        }
        walk(checker.getTypeOfSymbol(property), at, inner);
      }
    }
  };
  walk(checker.getTypeAtLocation(alias.name), '', []);
  return Object.fromEntries(Object.entries(docs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
