/**
 * Edits the `images` of an environment file in place, the way a person would: the TypeScript
 * parser finds the object passed to `defineEnvironment` (or exported by default), and only the text
 * of the entries that change is touched — comments, order and formatting elsewhere stay as written.
 */
import ts from 'typescript';

export type EditResult = { readonly text: string } | { readonly error: string };

/** Sets `images[service] = version` for every entry, adding the `images` property if there is none. */
export function setImages(source: string, fileName: string, versions: ReadonlyMap<string, string>): EditResult {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const environment = environmentObject(file);
  if (!environment) return { error: 'no `export default defineEnvironment({ … })` with an object literal was found' };
  const edits: Edit[] = [];
  const images = environment.properties.find((property) => propertyName(property) === 'images');
  if (images === undefined) {
    edits.push(insertProperty(file, source, environment, `images: ${objectText([...versions])}`));
  } else if (!ts.isPropertyAssignment(images) || !ts.isObjectLiteralExpression(images.initializer)) {
    return { error: '`images` is not an object literal here; promote edits only literal values: set it by hand' };
  } else {
    const object = images.initializer;
    const added: [string, string][] = [];
    for (const [service, version] of versions) {
      const entry = object.properties.find((property) => propertyName(property) === service);
      if (entry === undefined) added.push([service, version]);
      else if (ts.isPropertyAssignment(entry) && ts.isStringLiteralLike(entry.initializer)) edits.push({ start: entry.initializer.getStart(file), end: entry.initializer.end, text: quote(version) });
      else return { error: `images['${service}'] is not a string literal; promote edits only literal values: set it by hand` };
    }
    if (added.length > 0) {
      if (object.properties.length === 0) edits.push({ start: object.getStart(file), end: object.end, text: objectText(added) });
      else for (const [service, version] of added) edits.push(insertProperty(file, source, object, `${key(service)}: ${quote(version)}`));
    }
  }
  let text = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  return { text };
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The object literal the file exports by default, directly or through `defineEnvironment(…)` or a local constant. */
function environmentObject(file: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  const assignment = file.statements.find((statement): statement is ts.ExportAssignment => ts.isExportAssignment(statement) && !statement.isExportEquals);
  return assignment ? objectOf(file, assignment.expression) : undefined;
}

function objectOf(file: ts.SourceFile, expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (ts.isObjectLiteralExpression(expression)) return expression;
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression)) return objectOf(file, expression.expression);
  if (ts.isCallExpression(expression) && expression.arguments.length === 1) return objectOf(file, expression.arguments[0] as ts.Expression);
  if (ts.isIdentifier(expression)) {
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === expression.text && declaration.initializer) return objectOf(file, declaration.initializer);
      }
    }
  }
  return undefined;
}

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteralLike(name)) ? name.text : undefined;
}

/**
 * A new property at the end of an object, on its own line with its siblings' indentation when the
 * object spans lines, else inline; the author's trailing comma is kept.
 */
function insertProperty(file: ts.SourceFile, source: string, object: ts.ObjectLiteralExpression, property: string): Edit {
  const last = object.properties.at(-1);
  const close = object.end - 1;
  if (last === undefined) return { start: object.getStart(file), end: object.end, text: `{ ${property} }` };
  const trailingComma = object.properties.hasTrailingComma;
  const afterLast = trailingComma ? source.indexOf(',', last.end) + 1 : last.end;
  const lineStart = source.lastIndexOf('\n', last.getStart(file)) + 1;
  const indentation = /^[ \t]*/.exec(source.slice(lineStart))?.[0] ?? '';
  const multiline = source.slice(afterLast, close).includes('\n');
  if (multiline) return { start: afterLast, end: afterLast, text: `${trailingComma ? '' : ','}\n${indentation}${property}${trailingComma ? ',' : ''}` };
  return { start: afterLast, end: afterLast, text: `${trailingComma ? ' ' : ', '}${property}${trailingComma ? ',' : ''}` };
}

function objectText(entries: readonly [string, string][]): string {
  return `{ ${entries.map(([service, version]) => `${key(service)}: ${quote(version)}`).join(', ')} }`;
}

function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name);
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
