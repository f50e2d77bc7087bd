// Every word a user reads comes from the catalogue, in both languages: a component that writes text
// straight into JSX (or into an attribute people read: labels, titles, placeholders, alt text) fails here.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Read aloud or shown as a tooltip/placeholder: these attributes are user-visible text. */
const READ_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'title', 'placeholder', 'alt', 'label']);
/** The product's name and its monogram are the same in every language. */
const NAMES = new Set(['Strongroom', 'S']);

function componentFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return componentFiles(full);
    return entry.name.endsWith('.tsx') ? [full] : [];
  });
}

/** Text a user would read that does not come from the catalogue, as `file:line "text"`. */
function hardCodedStrings(file: string, source: string): string[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    if (/\p{L}/u.test(text) && !NAMES.has(text.trim())) found.push(`${file}:${tree.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${JSON.stringify(text.trim())}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) report(node, node.text);
    if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText()) && node.initializer) {
      const value = ts.isJsxExpression(node.initializer) ? node.initializer.expression : node.initializer;
      if (value && (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))) report(node, value.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
}

describe('user-visible text', () => {
  test('the scan sees text in JSX and in read attributes, and lets names and expressions through', () => {
    const sample = `export const A = () => <div title="Hello" aria-label={'Закрыть'} className="px-2">Save {t('x')} <b>Strongroom</b> {'—'} 42</div>;`;
    expect(hardCodedStrings('sample.tsx', sample)).toEqual(['sample.tsx:1 "Hello"', 'sample.tsx:1 "Закрыть"', 'sample.tsx:1 "Save"']);
  });

  test('no component under app/ writes text outside the catalogue', () => {
    const found = componentFiles(path.join(ROOT, 'app')).flatMap((file) => hardCodedStrings(path.relative(ROOT, file), fs.readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });
});
